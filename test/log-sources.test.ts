import { beforeAll, describe, expect, it } from "vitest";
import { api, env, errorOf, tokenFor } from "./helpers/api";
import { createHttpSource, httpSourceBody, seedSchema, unique } from "./helpers/factories";

beforeAll(async () => {
  await seedSchema("Custom.Test");
  await seedSchema("Custom.Other");
});

describe("HTTP log sources", () => {
  it("creates a source with an ingest URL and the default 24-hour drop-off alarm, secrets masked", async () => {
    const res = await api("/api/log-sources/http", { body: httpSourceBody({ integrationLabel: "Edge proxies" }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      integrationLabel: "Edge proxies",
      integrationType: "http",
      logTypes: ["Custom.Test"],
      logStreamType: "Auto",
      enabled: true,
      isHealthy: true,
      lastEventReceivedAt: null,
      authMethod: "SharedSecret",
      authHeaderKey: "X-Pipewatch-Secret",
      authSecretValue: "********",
      dropOffAlarm: { minutesThreshold: 1440 },
    });
    expect(res.body.ingestUrl).toBe(`http://pw.test/http/${res.body.integrationId}`);
    expect(JSON.stringify(res.body)).not.toContain("s3cret-value-123");

    const got = await api(`/api/log-sources/http/${res.body.integrationId}`);
    expect(got.body).toEqual(res.body);
    const list = await api("/api/log-sources");
    const row = list.body.results.find((s: { integrationId: string }) => s.integrationId === res.body.integrationId);
    expect(row).toEqual({
      integrationId: res.body.integrationId,
      integrationLabel: "Edge proxies",
      integrationType: "http",
      logTypes: ["Custom.Test"],
      enabled: true,
      isHealthy: true,
      lastEventReceivedAt: null,
      createdAt: res.body.createdAt,
    });
    expect(JSON.stringify(list.body)).not.toContain("s3cret-value-123");
  });

  it("lists the built-in audit source", async () => {
    const list = await api("/api/log-sources?type=audit");
    expect(list.body.results).toEqual([expect.objectContaining({ integrationId: "audit", integrationType: "audit", logTypes: ["Pipewatch.Audit"] })]);
  });

  it("honours an explicit drop-off threshold, or none", async () => {
    const custom = await createHttpSource({ dropOffAlarm: { minutesThreshold: 90 } });
    expect(custom.dropOffAlarm).toEqual({ minutesThreshold: 90 });
    const none = await createHttpSource({ dropOffAlarm: null });
    expect(none.dropOffAlarm).toBeNull();
    const low = await api("/api/log-sources/http", { body: httpSourceBody({ dropOffAlarm: { minutesThreshold: 5 } }) });
    expect(errorOf(low).paths).toEqual(["dropOffAlarm.minutesThreshold"]);
    const high = await api("/api/log-sources/http", { body: httpSourceBody({ dropOffAlarm: { minutesThreshold: 50000 } }) });
    expect(errorOf(high).paths).toEqual(["dropOffAlarm.minutesThreshold"]);
  });

  it.each([
    ["SharedSecret", { authHeaderKey: "X-Key", authSecretValue: "abcdefgh1" }, ["authSecretValue"]],
    ["HMAC", { authHeaderKey: "X-Signature", authSecretValue: "hmac-key-123", authHmacAlg: "sha512" }, ["authSecretValue"]],
    ["Bearer", { authBearerToken: "bearer-token-1" }, ["authBearerToken"]],
    ["Basic", { authUsername: "shipper", authPassword: "password-1" }, ["authPassword"]],
    ["None", {}, []],
  ])("accepts the %s auth method with its fields and masks its secrets", async (authMethod, fields, secretKeys) => {
    const body = { ...httpSourceBody(), authHeaderKey: undefined, authSecretValue: undefined, authMethod, ...fields };
    const res = await api("/api/log-sources/http", { body });
    expect(res.status).toBe(201);
    expect(res.body.authMethod).toBe(authMethod);
    for (const key of secretKeys) expect(res.body[key]).toBe("********");
    for (const value of Object.values(fields)) if (String(value).length >= 8 && !/^X-/.test(String(value))) expect(JSON.stringify(res.body)).not.toContain(value);
    if (authMethod === "HMAC") expect(res.body.authHmacAlg).toBe("sha512");
  });

  it("names each missing or misplaced auth field", async () => {
    const missing = await api("/api/log-sources/http", { body: { ...httpSourceBody(), authMethod: "HMAC", authHeaderKey: undefined, authSecretValue: undefined } });
    expect(errorOf(missing).paths.sort()).toEqual(["authHeaderKey", "authSecretValue"]);
    const misplaced = await api("/api/log-sources/http", { body: { ...httpSourceBody(), authMethod: "Bearer", authBearerToken: "bearer-token-1" } });
    expect(errorOf(misplaced).paths.sort()).toEqual(["authHeaderKey", "authSecretValue"]);
    const shortSecret = await api("/api/log-sources/http", { body: httpSourceBody({ authSecretValue: "short" }) });
    expect(errorOf(shortSecret).paths).toEqual(["authSecretValue"]);
    const nonAscii = await api("/api/log-sources/http", { body: httpSourceBody({ authSecretValue: "pässwörd-123" }) });
    expect(errorOf(nonAscii).paths).toEqual(["authSecretValue"]);
    const badHeader = await api("/api/log-sources/http", { body: httpSourceBody({ authHeaderKey: "Bad Header:" }) });
    expect(errorOf(badHeader).paths).toEqual(["authHeaderKey"]);
  });

  it("refuses unknown log types, unknown fields, wrong types and malformed JSON with details", async () => {
    const unknownType = await api("/api/log-sources/http", { body: httpSourceBody({ logTypes: ["Custom.Test", "Custom.Nope"] }) });
    expect(unknownType.status).toBe(400);
    expect(errorOf(unknownType).paths).toEqual(["logTypes[1]"]);
    expect(unknownType.body.error.details[0].message).toMatch(/no schema named 'Custom.Nope'/);

    const badName = await api("/api/log-sources/http", { body: httpSourceBody({ logTypes: ["lowercase"] }) });
    expect(errorOf(badName).paths).toEqual(["logTypes[0]"]);
    const extra = await api("/api/log-sources/http", { body: httpSourceBody({ color: "red" }) });
    expect(errorOf(extra).paths).toEqual(["color"]);
    const types = await api("/api/log-sources/http", { body: httpSourceBody({ integrationLabel: 7, logTypes: "Custom.Test", logStreamType: "XML" }) });
    expect(errorOf(types).paths.sort()).toEqual(["integrationLabel", "logStreamType", "logTypes"]);
    const empty = await api("/api/log-sources/http", { body: httpSourceBody({ logTypes: [] }) });
    expect(errorOf(empty).paths).toEqual(["logTypes"]);
    const malformed = await api("/api/log-sources/http", { raw: "{", headers: { "content-type": "application/json" } });
    expect(errorOf(malformed).code).toBe("MALFORMED_JSON");
  });

  it("refuses a duplicate label with 409, on create and on rename", async () => {
    const a = await createHttpSource();
    const dup = await api("/api/log-sources/http", { body: httpSourceBody({ integrationLabel: a.integrationLabel }) });
    expect(dup.status).toBe(409);
    expect(errorOf(dup)).toEqual({ code: "CONFLICT", paths: ["integrationLabel"] });
    const b = await createHttpSource();
    const rename = await api(`/api/log-sources/http/${b.integrationId}`, { method: "PUT", body: { integrationLabel: a.integrationLabel } });
    expect(rename.status).toBe(409);
  });

  it("updates partially: pauses, keeps masked secrets, replaces sent ones, switches methods", async () => {
    const src = await createHttpSource();
    const id = src.integrationId;
    const paused = await api(`/api/log-sources/http/${id}`, { method: "PUT", body: { enabled: false } });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ enabled: false, integrationLabel: src.integrationLabel, authSecretValue: "********" });

    const row = () => env.DB.prepare("SELECT secrets FROM log_sources WHERE id = ?").bind(id).first<{ secrets: string }>();
    await api(`/api/log-sources/http/${id}`, { method: "PUT", body: { ...httpSourceBody(), integrationLabel: src.integrationLabel, authSecretValue: "********" } });
    expect(JSON.parse((await row())!.secrets)).toEqual({ authSecretValue: "s3cret-value-123" });
    await api(`/api/log-sources/http/${id}`, { method: "PUT", body: { authSecretValue: "rotated-secret-9" } });
    expect(JSON.parse((await row())!.secrets)).toEqual({ authSecretValue: "rotated-secret-9" });

    const switched = await api(`/api/log-sources/http/${id}`, { method: "PUT", body: { authMethod: "Bearer", authBearerToken: "new-bearer-123" } });
    expect(switched.status).toBe(200);
    expect(switched.body.authHeaderKey).toBeUndefined();
    expect(JSON.parse((await row())!.secrets)).toEqual({ authBearerToken: "new-bearer-123" });

    const retyped = await api(`/api/log-sources/http/${id}`, { method: "PUT", body: { logTypes: ["Custom.Other"], dropOffAlarm: null } });
    expect(retyped.body).toMatchObject({ logTypes: ["Custom.Other"], dropOffAlarm: null, enabled: false });
    const bad = await api(`/api/log-sources/http/${id}`, { method: "PUT", body: { enabled: "no" } });
    expect(errorOf(bad).paths).toEqual(["enabled"]);
  });

  it("deletes a source, and answers 404 for unknown ids", async () => {
    const src = await createHttpSource();
    const del = await api(`/api/log-sources/http/${src.integrationId}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect((await api(`/api/log-sources/http/${src.integrationId}`)).status).toBe(404);
    for (const [method, path] of [
      ["GET", "/api/log-sources/http/nope"],
      ["PUT", "/api/log-sources/http/nope"],
      ["DELETE", "/api/log-sources/http/nope"],
      ["GET", "/api/log-sources/nope"],
      ["DELETE", "/api/log-sources/http/audit"],
    ] as const) {
      const res = await api(path, { method, body: method === "PUT" ? { enabled: true } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(errorOf(res).code).toBe("NOT_FOUND");
    }
  });

  it("lets ReadOnly and Analyst tokens read but not change sources", async () => {
    const src = await createHttpSource();
    for (const role of ["ReadOnly", "Analyst"] as const) {
      const { token } = await tokenFor(role);
      expect((await api(`/api/log-sources/http/${src.integrationId}`, { token })).status).toBe(200);
      expect((await api("/api/log-sources/http", { token, body: httpSourceBody() })).status).toBe(403);
      expect((await api(`/api/log-sources/http/${src.integrationId}`, { token, method: "PUT", body: { enabled: false } })).status).toBe(403);
      expect((await api(`/api/log-sources/http/${src.integrationId}`, { token, method: "DELETE" })).status).toBe(403);
    }
  });

  it("audits create, update and delete without secrets", async () => {
    const src = await createHttpSource({ integrationLabel: unique("audited") });
    await api(`/api/log-sources/http/${src.integrationId}`, { method: "PUT", body: { enabled: false, authSecretValue: "another-secret-1" } });
    await api(`/api/log-sources/http/${src.integrationId}`, { method: "DELETE" });
    const log = await api(`/api/audit-log?targetId=${src.integrationId}`);
    expect(log.body.results.map((e: { action: string }) => e.action)).toEqual(["log_source.delete", "log_source.update", "log_source.create"]);
    expect(log.body.results[1].details).toMatchObject({ enabled: false, authMethod: "SharedSecret" });
    const text = JSON.stringify(log.body);
    expect(text).not.toContain("s3cret-value-123");
    expect(text).not.toContain("another-secret-1");
  });
});

describe("HTTP log source updates", () => {
  it("names bad fields of an update with the same paths as a create", async () => {
    await seedSchema("Custom.Test");
    const src = await createHttpSource();
    const res = await api(`/api/log-sources/http/${src.integrationId}`, { method: "PUT", body: { logTypes: ["Custom.Test", "bad name"] } });
    expect(errorOf(res).paths).toEqual(["logTypes[1]"]);
  });
});
