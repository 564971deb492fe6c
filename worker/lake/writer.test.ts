import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { chunkStatements, packRows, type EventRow, type FailureRow } from "./writer";

const event = (i: number, body: Record<string, unknown> = { n: i }): EventRow => ({
  rowId: `w-${i}`,
  logType: "Custom.W",
  eventTime: "2026-11-29T10:00:00.000Z",
  parseTime: "2026-11-29T10:00:01.000Z",
  sourceId: "src-w",
  sourceLabel: "W",
  pAny: i % 2 ? { p_any_ip_addresses: ["10.0.0.1"] } : null,
  body,
});

const failure = (i: number): FailureRow => ({
  rowId: `wf-${i}`,
  sourceId: "src-w",
  sourceLabel: "W",
  parseTime: "2026-11-29T10:00:01.000Z",
  payload: `{"bad": ${i}`,
  payloadLength: 10,
  payloadSha256: null,
  error: "not valid JSON",
  errorPath: null,
  schemasTried: [{ schema: "Custom.W", error: "not valid JSON" }],
});

describe("lake writer", () => {
  it("packs rows into JSON arrays under the parameter size cap", () => {
    const rows = Array.from({ length: 5 }, () => `"${"x".repeat(600_000)}"`);
    const packs = packRows(rows);
    expect(packs).toHaveLength(3);
    expect(packs.every((p) => p.length <= 1_500_000)).toBe(true);
    expect(packs.flatMap((p) => JSON.parse(p) as string[])).toHaveLength(5);
  });

  it("stores events and failures exactly once, even when the same chunk is written twice", async () => {
    const events = Array.from({ length: 700 }, (_, i) => event(i));
    const failures = Array.from({ length: 30 }, (_, i) => failure(i));
    await env.LAKE.batch(chunkStatements(env.LAKE, events, failures));
    await env.LAKE.batch(chunkStatements(env.LAKE, events, failures));
    const counts = await env.LAKE.prepare(
      "SELECT (SELECT count(*) FROM events WHERE p_source_id = 'src-w') AS e, (SELECT count(*) FROM classification_failures WHERE p_source_id = 'src-w') AS f",
    ).first<{ e: number; f: number }>();
    expect(counts).toEqual({ e: 700, f: 30 });

    const row = await env.LAKE.prepare("SELECT * FROM events WHERE p_row_id = 'w-3'").first<Record<string, string>>();
    expect(row).toMatchObject({ p_log_type: "Custom.W", p_event_time: "2026-11-29T10:00:00.000Z", p_source_label: "W" });
    expect(JSON.parse(row!.body)).toEqual({ n: 3 });
    expect(JSON.parse(row!.p_any)).toEqual({ p_any_ip_addresses: ["10.0.0.1"] });
    const noAny = await env.LAKE.prepare("SELECT p_any FROM events WHERE p_row_id = 'w-2'").first<{ p_any: string | null }>();
    expect(noAny!.p_any).toBeNull();

    const f = await env.LAKE.prepare("SELECT * FROM classification_failures WHERE p_row_id = 'wf-4'").first<Record<string, unknown>>();
    expect(f).toMatchObject({ payload: '{"bad": 4', status: "FAILED", error: "not valid JSON", payload_sha256: null });
    expect(JSON.parse(f!.schemas_tried as string)).toEqual([{ schema: "Custom.W", error: "not valid JSON" }]);
  });

  it("keeps strings with quotes, unicode and nested JSON intact", async () => {
    const body = { msg: 'he said "hi" \u2014 ✓', nested: { a: [1, { b: null }] }, emoji: "🛡️" };
    await env.LAKE.batch(chunkStatements(env.LAKE, [event(9001, body)], []));
    const row = await env.LAKE.prepare("SELECT body FROM events WHERE p_row_id = 'w-9001'").first<{ body: string }>();
    expect(JSON.parse(row!.body)).toEqual(body);
  });
});
