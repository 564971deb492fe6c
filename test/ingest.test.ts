import { beforeAll, describe, expect, it } from "vitest";
import { api, env } from "./helpers/api";
import { createHttpSource, seedSchema } from "./helpers/factories";
import { gzipBytes, ingest, lakeCounts, ndjson, rowIds, SECRET } from "./helpers/ingest";
import { monitor } from "./helpers/monitor";

const good = (i: number) => ({ message: `event ${i}`, time: `2026-11-29T10:00:${String(i % 60).padStart(2, "0")}Z` });

beforeAll(() => seedSchema("Custom.Test"));

describe("POST /http/:sourceId — conservation", () => {
  it("stores every line of a mixed batch exactly once, as an event or a failure", async () => {
    const src = await createHttpSource({ logStreamType: "Lines" });
    const deep = `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`;
    const longLine = JSON.stringify({ message: "x".repeat(1_100_000), time: "2026-11-29T10:00:00Z" });
    const encoder = new TextEncoder();
    const parts = [
      ndjson([good(1), good(2)]),
      "",
      "   ",
      JSON.stringify({ message: { nested: true }, time: "2026-11-29T10:00:00Z" }),
      JSON.stringify({ time: "2026-11-29T10:00:00Z" }),
      '{"message": "unterminated',
      "not json at all",
      deep,
      longLine,
      JSON.stringify(good(3)),
    ];
    const text = encoder.encode(parts.join("\n") + "\n");
    const badUtf8 = new Uint8Array([...encoder.encode('{"message":"bad \u00e9'), 0xff, 0xfe, ...encoder.encode('","time":"2026-11-29T10:00:00Z"}\n')]);
    const body = new Uint8Array([...text, ...badUtf8, ...encoder.encode(JSON.stringify(good(4)))]);

    const res = await ingest(src.integrationId, body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 11, classified: 4, failed: 7 });
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 4, failures: 7 });
    const ids = await rowIds(src.integrationId);
    expect(new Set(ids).size).toBe(11);

    const failures = await env.LAKE.prepare(
      "SELECT payload, payload_length, payload_sha256, error, error_path FROM classification_failures WHERE p_source_id = ? ORDER BY p_row_id",
    )
      .bind(src.integrationId)
      .all<{ payload: string; payload_length: number; payload_sha256: string | null; error: string; error_path: string | null }>();
    const byPayloadStart = (s: string) => failures.results.find((f) => f.payload.startsWith(s))!;
    expect(byPayloadStart('{"message":{"nested"').error).toMatch(/\$\.message: expected string/);
    expect(byPayloadStart('{"time"').error).toMatch(/\$\.message: required field is missing/);
    expect(byPayloadStart("not json").error).toMatch(/not valid JSON/);
    const long = failures.results.find((f) => f.payload_sha256 !== null)!;
    expect(long.payload_length).toBe(longLine.length);
    expect(long.payload.length).toBe(64 * 1024);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(longLine)));
    expect(long.payload_sha256).toBe(Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
    expect(byPayloadStart('{"message":"bad').error).toMatch(/not valid UTF-8/);
    // A line nested 20,000 deep is refused like any other, without breaking the batch.
    expect(byPayloadStart('{"a":{"a":').error).toMatch(/required field is missing|deep|nest/i);

    const events = await env.LAKE.prepare("SELECT p_event_time, p_log_type, body FROM events WHERE p_source_id = ? ORDER BY p_row_id")
      .bind(src.integrationId)
      .all<{ p_event_time: string; p_log_type: string; body: string }>();
    expect(events.results.map((e) => JSON.parse(e.body).message)).toEqual(["event 1", "event 2", "event 3", "event 4"]);
    expect(events.results[0]).toMatchObject({ p_event_time: "2026-11-29T10:00:01.000Z", p_log_type: "Custom.Test" });
  });

  it("answers a repeated Idempotency-Key with the first answer and stores nothing more", async () => {
    const src = await createHttpSource();
    const body = ndjson([good(1), good(2), "garbage"]);
    const first = await ingest(src.integrationId, body, { headers: { "Idempotency-Key": "batch-0001" } });
    expect(first.body).toEqual({ accepted: 3, classified: 2, failed: 1 });
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const again = await ingest(src.integrationId, body, { headers: { "Idempotency-Key": "batch-0001" } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    // Without a key, the same body maps onto the same rows by its digest.
    await ingest(src.integrationId, body);
    await ingest(src.integrationId, body);
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 4, failures: 2 });
    const bad = await ingest(src.integrationId, body, { headers: { "Idempotency-Key": "has space" } });
    expect(bad.status).toBe(400);
  });

  it("answers 503 with Retry-After when storage fails half-way, and the retry stores each line once", async () => {
    const src = await createHttpSource();
    const lines = Array.from({ length: 1200 }, (_, i) => good(i));
    // Make the lake refuse the second chunk (rows 501+) of this source, as a full disk would.
    await env.LAKE.exec(
      `CREATE TRIGGER fail_half AFTER INSERT ON events WHEN (SELECT count(*) FROM events WHERE p_source_id = '${src.integrationId}') > 500 BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    const failed = await ingest(src.integrationId, ndjson(lines), { headers: { "Idempotency-Key": "half" } });
    expect(failed.status).toBe(503);
    expect(failed.headers.get("Retry-After")).toBe("5");
    expect(failed.body.error.code).toBe("UNAVAILABLE");
    expect((await lakeCounts(src.integrationId)).events).toBe(500);

    await env.LAKE.exec("DROP TRIGGER fail_half");
    const retried = await ingest(src.integrationId, ndjson(lines), { headers: { "Idempotency-Key": "half" } });
    expect(retried.body).toEqual({ accepted: 1200, classified: 1200, failed: 0 });
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 1200, failures: 0 });
  });
});

describe("POST /http/:sourceId — bad requests", () => {
  it("refuses wrong or missing credentials with 401 and stores nothing", async () => {
    const src = await createHttpSource();
    for (const secret of [null, "wrong-secret-000", ""]) {
      const res = await ingest(src.integrationId, ndjson([good(1)]), { secret });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHORIZED");
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
    }
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 0, failures: 0 });
  });

  it("answers 404 for unknown, deleted and paused sources", async () => {
    expect((await ingest("nope", ndjson([good(1)]))).status).toBe(404);
    const paused = await createHttpSource();
    await api(`/api/log-sources/http/${paused.integrationId}`, { method: "PUT", body: { enabled: false } });
    expect((await ingest(paused.integrationId, ndjson([good(1)]))).status).toBe(404);
    const deleted = await createHttpSource();
    await api(`/api/log-sources/http/${deleted.integrationId}`, { method: "DELETE" });
    expect((await ingest(deleted.integrationId, ndjson([good(1)]))).status).toBe(404);
    expect((await ingest("audit", ndjson([good(1)]))).status).toBe(404);
  });

  it("answers 413 for a body over 10 MB, and for a compression bomb without storing a line", async () => {
    const src = await createHttpSource();
    const big = await ingest(src.integrationId, new Uint8Array(11 * 1024 * 1024).fill(0x61));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("PAYLOAD_TOO_LARGE");

    // 70 MB of newline-separated valid lines compress to a few hundred KB.
    const line = new TextEncoder().encode(JSON.stringify(good(1)) + "\n");
    const chunk = new Uint8Array(line.length * 20_000);
    for (let i = 0; i < 20_000; i++) chunk.set(line, i * line.length);
    const copies = Math.ceil((70 * 1024 * 1024) / chunk.length);
    const bomb = await gzipBytes(Array.from({ length: copies }, () => chunk));
    expect(bomb.length).toBeLessThan(10 * 1024 * 1024);
    const res = await ingest(src.integrationId, bomb, { headers: { "Content-Encoding": "gzip" } });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/decompress/i);
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 0, failures: 0 });
  });

  it("answers 415 for corrupt gzip and for a body that is not text, storing nothing", async () => {
    const src = await createHttpSource();
    const gz = await gzipBytes([new TextEncoder().encode(ndjson(Array.from({ length: 2000 }, (_, i) => good(i))))]);
    const corrupt = gz.slice(0, gz.length - 12);
    const res = await ingest(src.integrationId, corrupt, { headers: { "Content-Encoding": "gzip" } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const binary = await ingest(src.integrationId, new Uint8Array([0, 1, 2, 3, 0, 0, 0, 255, 254, 0]));
    expect(binary.status).toBe(415);
    const brotli = await ingest(src.integrationId, ndjson([good(1)]), { headers: { "Content-Encoding": "br" } });
    expect(brotli.status).toBe(415);
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 0, failures: 0 });
  });

  it("accepts gzip announced only by its magic bytes", async () => {
    const src = await createHttpSource();
    const gz = await gzipBytes([new TextEncoder().encode(ndjson([good(1), good(2)]))]);
    const res = await ingest(src.integrationId, gz);
    expect(res.body).toEqual({ accepted: 2, classified: 2, failed: 0 });
  });

  it("treats an empty or blank body as an empty batch", async () => {
    const src = await createHttpSource();
    expect((await ingest(src.integrationId, "")).body).toEqual({ accepted: 0, classified: 0, failed: 0 });
    expect((await ingest(src.integrationId, "\n\n  \n")).body).toEqual({ accepted: 0, classified: 0, failed: 0 });
  });
});

describe("POST /http/:sourceId — monitoring", () => {
  it("feeds the source's metrics and last event times", async () => {
    const src = await createHttpSource();
    await ingest(src.integrationId, ndjson([good(1), good(2), "bad"]));
    const metrics = await api(`/api/log-sources/${src.integrationId}/metrics?intervalMinutes=60`);
    expect(metrics.status).toBe(200);
    expect(metrics.body.totals).toMatchObject({ eventsProcessed: 2, classificationFailures: 1 });
    expect(metrics.body.totals.bytesProcessed).toBeGreaterThan(50);
    const last = metrics.body.series[metrics.body.series.length - 1];
    expect(last.byLogType["Custom.Test"]).toEqual({ eventsProcessed: 2, classificationFailures: 1 });
    const state = await monitor(src.integrationId).state();
    expect(state.lastEventProcessedAt).toEqual(expect.any(String));
    const health = await api(`/api/log-sources/${src.integrationId}/health`);
    expect(health.body.lastEventProcessedAt).toBe(state.lastEventProcessedAt);
  });
});
