import { describe, expect, it } from "vitest";
import { api, env, errorOf, tokenFor } from "./helpers/api";

describe("API tokens", () => {
  it("creates a token shown once, stored only as a hash, and usable at once", async () => {
    const res = await api("/api/api-tokens", { body: { name: "ci", role: "Analyst" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "ci", role: "Analyst", expiresAt: null });
    expect(res.body.token).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);

    const stored = await env.DB.prepare("SELECT * FROM api_tokens WHERE id = ?").bind(res.body.id).first<Record<string, string>>();
    expect(JSON.stringify(stored)).not.toContain(res.body.token);
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const list = await api("/api/api-tokens");
    expect(list.status).toBe(200);
    expect(list.body.results.find((t: { id: string }) => t.id === res.body.id)).toBeDefined();
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    expect(JSON.stringify(list.body)).not.toContain(stored!.token_hash);

    const asAnalyst = await api("/api/log-sources", { token: res.body.token });
    expect(asAnalyst.status).toBe(200);
  });

  it("refuses a missing, malformed, wrong, expired or revoked token with 401", async () => {
    expect((await api("/api/log-sources", { token: null })).status).toBe(401);
    expect((await api("/api/log-sources", { token: null, headers: { authorization: "Basic abc" } })).status).toBe(401);
    const wrong = await api("/api/log-sources", { token: "pw_not-a-real-token" });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).code).toBe("UNAUTHORIZED");

    const t = await tokenFor("ReadOnly");
    await env.DB.prepare("UPDATE api_tokens SET expires_at = ? WHERE id = ?").bind("2020-01-01T00:00:00.000Z", t.id).run();
    expect((await api("/api/log-sources", { token: t.token })).status).toBe(401);

    const r = await tokenFor("Admin");
    expect((await api("/api/log-sources", { token: r.token })).status).toBe(200);
    const revoke = await api(`/api/api-tokens/${r.id}`, { method: "DELETE" });
    expect(revoke.status).toBe(200);
    expect(revoke.body.revokedAt).toEqual(expect.any(String));
    expect((await api("/api/log-sources", { token: r.token })).status).toBe(401);
  });

  it("lets only Admins manage tokens", async () => {
    const ro = await tokenFor("ReadOnly");
    const analyst = await tokenFor("Analyst");
    const create = await api("/api/api-tokens", { token: ro.token, body: { name: "x", role: "Admin" } });
    expect(create.status).toBe(403);
    expect(errorOf(create).code).toBe("FORBIDDEN");
    expect((await api("/api/api-tokens", { token: analyst.token, body: { name: "x", role: "Admin" } })).status).toBe(403);
    expect((await api("/api/api-tokens", { token: ro.token })).status).toBe(403);
    expect((await api(`/api/api-tokens/${ro.id}`, { token: ro.token, method: "DELETE" })).status).toBe(403);
  });

  it("validates the body: malformed JSON, unknown fields, wrong types, past expiry", async () => {
    const malformed = await api("/api/api-tokens", { raw: '{"name": ', headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed).code).toBe("MALFORMED_JSON");

    const unknown = await api("/api/api-tokens", { body: { name: "x", role: "Admin", admin: true } });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown)).toEqual({ code: "VALIDATION_FAILED", paths: ["admin"] });
    expect(unknown.body.error.details[0].message).toBe("unknown field");

    const types = await api("/api/api-tokens", { body: { name: 5, role: "Root" } });
    expect(errorOf(types).paths.sort()).toEqual(["name", "role"]);

    const past = await api("/api/api-tokens", { body: { name: "x", role: "Admin", expiresAt: "2001-01-01T00:00:00Z" } });
    expect(errorOf(past).paths).toEqual(["expiresAt"]);

    const notJson = await api("/api/api-tokens", { raw: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(notJson.status).toBe(415);
  });

  it("answers 404 for an unknown token id and 413 for an oversized body", async () => {
    const missing = await api(`/api/api-tokens/${crypto.randomUUID()}`, { method: "DELETE" });
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe("NOT_FOUND");
    const huge = await api("/api/api-tokens", { body: { name: "x".repeat(1_100_000), role: "Admin" } });
    expect(huge.status).toBe(413);
    expect(errorOf(huge).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("records each change in the audit log, without token values", async () => {
    const created = await api("/api/api-tokens", { body: { name: "audited", role: "ReadOnly" } });
    await api(`/api/api-tokens/${created.body.id}`, { method: "DELETE" });
    const log = await api(`/api/audit-log?targetId=${created.body.id}`);
    expect(log.status).toBe(200);
    expect(log.body.results.map((e: { action: string }) => e.action)).toEqual(["api_token.revoke", "api_token.create"]);
    expect(log.body.results[1]).toMatchObject({ actor: { id: "admin-token", name: "Admin token" }, targetType: "api_token", details: { name: "audited", role: "ReadOnly" } });
    expect(JSON.stringify(log.body)).not.toContain(created.body.token);
  });

  it("pages lists with a cursor", async () => {
    for (let i = 0; i < 3; i++) await tokenFor("ReadOnly");
    const first = await api("/api/api-tokens?limit=2");
    expect(first.body.results).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await api(`/api/api-tokens?limit=2&cursor=${encodeURIComponent(first.body.next)}`);
    expect(second.body.results.length).toBeGreaterThan(0);
    const ids = new Set([...first.body.results, ...second.body.results].map((t: { id: string }) => t.id));
    expect(ids.size).toBe(first.body.results.length + second.body.results.length);
    expect((await api("/api/api-tokens?cursor=garbage")).status).toBe(400);
    expect((await api("/api/api-tokens?limit=1000")).status).toBe(400);
  });
});

describe("GET /api/me", () => {
  it("names the caller and its role", async () => {
    expect((await api("/api/me")).body).toEqual({ id: "admin-token", name: "Admin token", role: "Admin" });
    const t = await tokenFor("Analyst");
    expect((await api("/api/me", { token: t.token })).body).toMatchObject({ id: t.id, role: "Analyst" });
    expect((await api("/api/me", { token: null })).status).toBe(401);
  });
});
