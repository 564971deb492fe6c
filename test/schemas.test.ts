import { describe, expect, it } from "vitest";
import { api, env, errorOf, tokenFor } from "./helpers/api";
import { simpleSpec } from "./helpers/factories";

describe("schemas", () => {
  it("creates, reads, lists and revises a schema, with a lake view per log type", async () => {
    const created = await api("/api/schemas/Custom.Shop", { method: "PUT", body: { spec: simpleSpec(), description: "Shop logs", referenceURL: "https://example.com/shop" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Custom.Shop", description: "Shop logs", referenceURL: "https://example.com/shop", revision: 1 });
    const updated = await api("/api/schemas/Custom.Shop", { method: "PUT", body: { spec: simpleSpec("  - name: level\n    type: string\n") } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ revision: 2, description: "Shop logs" });
    expect((await api("/api/schemas/Custom.Shop")).body.spec).toContain("name: level");
    const list = await api("/api/schemas");
    expect(list.body.results.map((s: { name: string }) => s.name)).toContain("Custom.Shop");
    expect(list.body.results.map((s: { name: string }) => s.name)).toContain("Pipewatch.Audit");

    await env.LAKE.prepare(
      "INSERT INTO events (p_row_id, p_log_type, p_event_time, p_parse_time, p_source_id, p_source_label, p_any, body) VALUES ('v1', 'Custom.Shop', 't', 't', 's', 'S', NULL, ?)",
    )
      .bind(JSON.stringify({ message: "hi", level: "warn" }))
      .run();
    const view = await env.LAKE.prepare("SELECT message, level, p_log_type FROM custom_shop").first();
    expect(view).toEqual({ message: "hi", level: "warn", p_log_type: "Custom.Shop" });
    const audit = await api("/api/audit-log?targetId=Custom.Shop");
    expect(audit.body.results.map((e: { action: string }) => e.action)).toEqual(["schema.update", "schema.create"]);
  });

  it("reports every spec error with its path", async () => {
    const spec = `version: 0
fields:
  - name: a
    type: strin
  - name: t
    type: timestamp
  - name: b
    type: string
    colour: red
`;
    const res = await api("/api/schemas/Custom.Broken", { method: "PUT", body: { spec } });
    expect(res.status).toBe(400);
    expect(errorOf(res).paths).toEqual(expect.arrayContaining(["spec.fields[0].type", "spec.fields[1].timeFormat", "spec.fields[2].colour"]));
    const yaml = await api("/api/schemas/Custom.Broken", { method: "PUT", body: { spec: "fields: [unclosed" } });
    expect(yaml.status).toBe(400);
    expect(yaml.body.error.details[0].message).toMatch(/line/i);
    expect((await api("/api/schemas/Custom.Broken")).status).toBe(404);
  });

  it("refuses text parsers and transformations as not supported yet, and bad names", async () => {
    const regex = await api("/api/schemas/Custom.Rx", { method: "PUT", body: { spec: "version: 0\nparser:\n  regex:\n    match: ['%{x}']\nfields:\n  - name: x\n    type: string\n" } });
    expect(regex.status).toBe(400);
    expect(JSON.stringify(regex.body.error.details)).toMatch(/not supported yet/);
    const rename = await api("/api/schemas/Custom.Rn", { method: "PUT", body: { spec: "version: 0\nfields:\n  - name: x\n    type: string\n    rename:\n      from: y\n" } });
    expect(JSON.stringify(rename.body.error.details)).toMatch(/not supported yet/);
    const badName = await api("/api/schemas/custom_thing", { method: "PUT", body: { spec: simpleSpec() } });
    expect(errorOf(badName).paths).toEqual(["name"]);
    const other = await api("/api/schemas/Custom.A", { method: "PUT", body: { spec: `schema: Custom.B\n${simpleSpec()}` } });
    expect(errorOf(other).paths).toEqual(["spec.schema"]);
    const unknown = await api("/api/schemas/Custom.A", { method: "PUT", body: { spec: simpleSpec(), owner: "me" } });
    expect(errorOf(unknown).paths).toEqual(["owner"]);
  });

  it("only lets Admins save, and every role test", async () => {
    const { token } = await tokenFor("Analyst");
    expect((await api("/api/schemas/Custom.Nope", { token, method: "PUT", body: { spec: simpleSpec() } })).status).toBe(403);
    await api("/api/schemas/Custom.Tested", { method: "PUT", body: { spec: simpleSpec() } });
    const res = await api("/api/schemas/Custom.Tested/test", { token, body: { lines: ['{"message":"a","time":"2026-11-29T10:00:00Z"}'] } });
    expect(res.status).toBe(200);
  });

  it("tests sample lines against the saved schema or a draft, showing events exactly as stored", async () => {
    await api("/api/schemas/Custom.Sample", { method: "PUT", body: { spec: simpleSpec("  - name: ip\n    type: string\n    indicators: [ip]\n") } });
    const res = await api("/api/schemas/Custom.Sample/test", {
      body: { lines: ['{"message":"ok","time":"2026-11-29T10:00:00Z","ip":"10.1.2.3","extra":1}', '{"time":"2026-11-29T10:00:00Z"}', "", "nope"] },
    });
    expect(res.body.matched).toBe(1);
    expect(res.body.unmatched).toBe(3);
    const [ok, missing, blank, nope] = res.body.results;
    expect(ok.event).toMatchObject({
      message: "ok",
      ip: "10.1.2.3",
      p_log_type: "Custom.Sample",
      p_event_time: "2026-11-29T10:00:00.000Z",
      p_any_ip_addresses: ["10.1.2.3"],
      p_source_label: "Schema test",
    });
    expect(ok.event.extra).toBeUndefined();
    expect(missing).toMatchObject({ matched: false, error: "$.message: required field is missing", errorPath: "$.message" });
    expect(blank.matched).toBe(false);
    expect(nope.error).toMatch(/not valid JSON/);

    const draft = await api("/api/schemas/Custom.Sample/test", { body: { spec: "version: 0\nfields:\n  - name: time\n    type: string\n", lines: ['{"time":"x"}'] } });
    expect(draft.body.matched).toBe(1);
    const badDraft = await api("/api/schemas/Custom.Sample/test", { body: { spec: "version: 0\n", lines: ["{}"] } });
    expect(badDraft.status).toBe(400);
    expect((await api("/api/schemas/Custom.Missing/test", { body: { lines: ["{}"] } })).status).toBe(404);
    expect((await api("/api/schemas/Custom.Sample/test", { body: { lines: [] } })).status).toBe(400);
  });
});
