import { beforeAll, describe, expect, it, vi } from "vitest";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import worker from "../worker/index";
import { api, env } from "./helpers/api";
import { seedSchema, simpleSpec } from "./helpers/factories";
import { drive } from "./helpers/delivery";
import { gzipBytes, lakeCounts, ndjson } from "./helpers/ingest";
import { auditRows, createBucket, createS3Source, deleteObject, pollCapturing, putObject, sourceRow } from "./helpers/s3";
import { resolveQuietProcessingErrors } from "../worker/alerts/log-processing";
import type { JobMessage } from "../worker/jobs/messages";
import { S3_READ_ATTEMPTS } from "../worker/jobs/consumer";
import { setAwsIO } from "../worker/s3/io";

const line = (i: number) => JSON.stringify({ message: `event ${i}`, time: `2026-11-29T10:00:${String(i % 60).padStart(2, "0")}Z` });
const encoder = new TextEncoder();

beforeAll(async () => {
  await seedSchema("Custom.Test");
  await seedSchema("Custom.Other", "version: 0\nfields:\n  - name: user\n    type: string\n    required: true\n");
});

async function runCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("S3 polling", () => {
  it("polls on the cron, reads each new object through the JOBS queue, classifies and audits it", async () => {
    const bucket = await createBucket();
    await putObject(bucket, "logs/2026/a.json", [line(1), line(2), "not json"].join("\n"));
    await putObject(bucket, "logs/2026/b.json.gz", await gzipBytes([encoder.encode(ndjson([line(3), line(4), line(5)].map((l) => JSON.parse(l))))]));
    await putObject(bucket, "logs/2026/", "");
    await putObject(bucket, "logs/empty.json", "");
    await putObject(bucket, "tmp/scratch.json", line(6));
    await putObject(bucket, "other/c.json", JSON.stringify({ user: "alice" }));
    await putObject(bucket, "other/odd key+plus (1) é.json", JSON.stringify({ user: "bob" }));
    const src = await createS3Source(bucket, {
      s3PrefixLogTypes: [
        { prefix: "", logTypes: ["Custom.Test"], excludedPrefixes: ["tmp/"] },
        { prefix: "other/", logTypes: ["Custom.Other"], excludedPrefixes: [] },
      ],
    });

    await runCron();
    // The cron queued an s3-poll; the JOBS consumer lists the bucket and queues one read per object.
    await vi.waitFor(async () => expect(await auditRows(src.integrationId)).toHaveLength(4), { timeout: 15_000, interval: 250 });

    const rows = await auditRows(src.integrationId);
    const byKey = Object.fromEntries(rows.map((r) => [r.s3Key, r]));
    expect(Object.keys(byKey).sort()).toEqual(["logs/2026/a.json", "logs/2026/b.json.gz", "other/c.json", "other/odd key+plus (1) é.json"]);
    expect(byKey["logs/2026/a.json"]).toMatchObject({
      status: "SUCCESS",
      operation: "GetObject",
      s3Bucket: bucket,
      recordCount: 3,
      classifiedCount: 2,
      failedCount: 1,
      error: null,
      assumedRoleArn: null,
      p_source_id: src.integrationId,
      p_source_label: src.integrationLabel,
    });
    expect(byKey["logs/2026/a.json"].s3ETag).toMatch(/^[0-9a-f]{32}$/);
    expect(byKey["logs/2026/b.json.gz"]).toMatchObject({ status: "SUCCESS", recordCount: 3, classifiedCount: 3 });
    expect(byKey["logs/2026/b.json.gz"].bytesProcessed).toBeGreaterThan(byKey["logs/2026/b.json.gz"].s3ObjectSize / 2);
    expect(byKey["other/c.json"]).toMatchObject({ status: "SUCCESS", recordCount: 1, classifiedCount: 1 });
    expect(byKey["other/odd key+plus (1) é.json"]).toMatchObject({ status: "SUCCESS", recordCount: 1, classifiedCount: 1 });
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 7, failures: 1 });
    const types = await env.LAKE.prepare("SELECT p_log_type, count(*) AS n FROM events WHERE p_source_id = ? GROUP BY p_log_type ORDER BY p_log_type")
      .bind(src.integrationId)
      .all();
    expect(types.results).toEqual([
      { p_log_type: "Custom.Other", n: 2 },
      { p_log_type: "Custom.Test", n: 5 },
    ]);
    // The same cron ran the access checks and stored them; reading the health shows them.
    const health = await api(`/api/log-sources/${src.integrationId}/health`);
    expect(health.body.lastEventProcessedAt).not.toBeNull();
    expect(health.body.checks.map((c: { name: string; healthy: boolean }) => [c.name, c.healthy])).toEqual([
      ["credentials", true],
      ["bucket", true],
      ["objectAccess:", true],
      ["objectAccess:other/", true],
    ]);
    expect((await sourceRow(src.integrationId)).healthChecks?.checkedAt).toBe(health.body.checks[0].checkedAt);
    const later = await api(`/api/monitor/data_audit?sourceId=${src.integrationId}&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(later.body).toEqual({ results: [], next: null });
    const paged = await api(`/api/monitor/data_audit?sourceId=${src.integrationId}&status=SUCCESS&limit=3`);
    expect(paged.body.results).toHaveLength(3);
    const rest = await api(`/api/monitor/data_audit?sourceId=${src.integrationId}&status=SUCCESS&limit=3&cursor=${paged.body.next}`);
    expect(rest.body).toMatchObject({ results: [expect.objectContaining({ status: "SUCCESS" })], next: null });

    // A second poll finds nothing new; a new object, and a new version of an old one, are read once each.
    expect((await pollCapturing(src.integrationId)).messages).toEqual([]);
    await putObject(bucket, "logs/2026/d.json", line(7));
    await putObject(bucket, "logs/2026/a.json", line(8));
    const next = await pollCapturing(src.integrationId);
    expect(next.messages.map((m) => (m.kind === "s3-object" ? m.key : m.kind)).sort()).toEqual(["logs/2026/a.json", "logs/2026/d.json"]);
    // Delivered twice (at least once, as queues do): stored once.
    await drive("pipewatch-jobs", [...next.messages, ...next.messages]);
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 9, failures: 1 });
    expect(await auditRows(src.integrationId)).toHaveLength(6);
    expect((await pollCapturing(src.integrationId)).messages).toEqual([]);
  });

  it("records a FAILURE for an object gone before it is read and for a corrupt gzip, in one alert that lists both", async () => {
    const bucket = await createBucket();
    const gz = await gzipBytes([encoder.encode(`${line(1)}\n${line(2)}\n`.repeat(50))]);
    const corrupt = gz.slice();
    corrupt.fill(0x41, 12, gz.length - 8);
    await putObject(bucket, "v/gone.json", line(1));
    await putObject(bucket, "v/corrupt.json.gz", corrupt);
    await putObject(bucket, "v/fine.json", line(3));
    const src = await createS3Source(bucket, { s3PrefixLogTypes: [{ prefix: "v/", logTypes: ["Custom.Test"], excludedPrefixes: [] }] });

    const polled = await pollCapturing(src.integrationId);
    expect(polled).toMatchObject({ listed: 3, queued: 3 });
    await deleteObject(bucket, "v/gone.json");
    const result = await drive("pipewatch-jobs", polled.messages);
    expect(result.explicitAcks).toHaveLength(3);

    const rows = Object.fromEntries((await auditRows(src.integrationId)).map((r) => [r.s3Key, r]));
    expect(rows["v/fine.json"]).toMatchObject({ status: "SUCCESS", recordCount: 1 });
    expect(rows["v/gone.json"]).toMatchObject({ status: "FAILURE", errorCode: "NoSuchKey", recordCount: 0 });
    expect(rows["v/gone.json"].error).toMatch(/^NoSuchKey: .+ \(HTTP 404/);
    expect(rows["v/corrupt.json.gz"]).toMatchObject({ status: "FAILURE", errorCode: "UndecodableObject", recordCount: 0 });
    expect(rows["v/corrupt.json.gz"].error).toMatch(/gzip/i);
    // Nothing of the corrupt object was stored: it is checked whole before a line is written.
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 1, failures: 0 });
    const failures = await api(`/api/monitor/data_audit?sourceId=${src.integrationId}&status=FAILURE`);
    expect(failures.body.results.map((r: { s3Key: string }) => r.s3Key).sort()).toEqual(["v/corrupt.json.gz", "v/gone.json"]);

    const list = await api(`/api/alerts?type=SYSTEM_ERROR&subtype=SOURCE_LOG_PROCESSING_ERRORS&sourceId=${src.integrationId}`);
    expect(list.body.results).toHaveLength(1);
    const alert = (await api(`/api/alerts/${list.body.results[0].id}`)).body;
    expect(alert).toMatchObject({ severity: "CRITICAL", status: "OPEN", systemError: { type: "SOURCE_LOG_PROCESSING_ERRORS", sourceId: src.integrationId } });
    expect(alert.description).toContain(`s3://${bucket}/v/gone.json (NoSuchKey`);
    expect(alert.description).toContain(`s3://${bucket}/v/corrupt.json.gz (UndecodableObject`);
    expect(alert.description).toMatch(/^2 S3 objects of .+ could not be read in the last 24 hours/);

    // The failures are not read again: the key is gone, and corrupt data stays corrupt.
    expect((await pollCapturing(src.integrationId)).messages).toEqual([]);

    // It resolves itself only after 24 hours without a failed read.
    await resolveQuietProcessingErrors(env, new Date(Date.now() + 3600_000));
    expect((await api(`/api/alerts/${alert.id}`)).body.status).toBe("OPEN");
    await resolveQuietProcessingErrors(env, new Date(Date.now() + 25 * 3600_000));
    const resolved = (await api(`/api/alerts/${alert.id}`)).body;
    expect(resolved.status).toBe("RESOLVED");
  });

  it("retries a read S3 throttles, records it failed on the last attempt, and reads it again an hour later", async () => {
    const bucket = await createBucket();
    await putObject(bucket, "t/slow.json", line(1));
    const src = await createS3Source(bucket);
    const polled = await pollCapturing(src.integrationId);
    const slowDown = `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R503</RequestId></Error>`;
    setAwsIO({
      fetch: async (input, init) => {
        const req = new Request(input, init);
        return req.method === "GET" && req.url.endsWith("/t/slow.json") ? new Response(slowDown, { status: 503 }) : fetch(req);
      },
    });
    try {
      const first = await drive("pipewatch-jobs", polled.messages, { attempts: 1 });
      expect(first.retryMessages).toHaveLength(1);
      expect(await auditRows(src.integrationId)).toEqual([]);
      const last = await drive("pipewatch-jobs", polled.messages, { attempts: S3_READ_ATTEMPTS });
      expect(last.explicitAcks).toHaveLength(1);
      expect(await auditRows(src.integrationId)).toEqual([
        expect.objectContaining({ status: "FAILURE", errorCode: "SlowDown", error: "SlowDown: Please reduce your request rate. (HTTP 503, request R503)" }),
      ]);
    } finally {
      setAwsIO({ fetch: undefined });
    }
    // Throttling passes: the object is read again, but only once an hour has gone by.
    expect((await pollCapturing(src.integrationId)).messages).toEqual([]);
    const later = await pollCapturing(src.integrationId, { now: new Date(Date.now() + 61 * 60_000) });
    expect(later.messages).toHaveLength(1);
    await drive("pipewatch-jobs", later.messages);
    const rows = await auditRows(src.integrationId);
    expect(rows.map((r) => r.status)).toEqual(["SUCCESS", "FAILURE"]);
    expect(new Set(rows.map((r) => r.p_row_id)).size).toBe(2);
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 1, failures: 0 });
  });

  it("records a read the queue dead-lettered as failed, to be read again by a later poll", async () => {
    const bucket = await createBucket();
    await putObject(bucket, "dl/one.json", line(1));
    const src = await createS3Source(bucket);
    const polled = await pollCapturing(src.integrationId);
    await drive("pipewatch-jobs-dlq", polled.messages);
    expect(await auditRows(src.integrationId)).toEqual([
      expect.objectContaining({ status: "FAILURE", errorCode: "ReadAbandoned", error: expect.stringMatching(/^ReadAbandoned: the read was given up/) }),
    ]);
    expect((await pollCapturing(src.integrationId, { now: new Date(Date.now() + 61 * 60_000) })).messages).toHaveLength(1);
  });

  it("sweeps a long listing page by page over several polls, then starts again from the top", async () => {
    const bucket = await createBucket();
    // Uploaded out of key order: what is new comes from the ledger, not from where a listing stopped.
    for (const i of [5, 1, 6, 3, 0, 4, 2]) await putObject(bucket, `p/${i}.json`, line(i));
    const src = await createS3Source(bucket);
    const keys = (r: { messages: JobMessage[] }) => r.messages.map((m) => (m.kind === "s3-object" ? m.key : m.kind));

    const first = await pollCapturing(src.integrationId, { pageSize: 2, maxPages: 2 });
    expect(keys(first)).toEqual(["p/0.json", "p/1.json", "p/2.json", "p/3.json"]);
    const second = await pollCapturing(src.integrationId, { pageSize: 2, maxPages: 2 });
    expect(keys(second)).toEqual(["p/4.json", "p/5.json", "p/6.json"]);
    await putObject(bucket, "p/00.json", line(7));
    const third = await pollCapturing(src.integrationId, { pageSize: 2, maxPages: 2 });
    expect(third).toMatchObject({ listed: 4 });
    expect(keys(third)).toEqual(["p/00.json"]);
  });

  it("drops ledger rows and audit rows with retention, never rows of objects a poll could still list", async () => {
    const lake = env.LAKE;
    const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 3 * 86_400_000).toISOString();
    for (const [key, modified] of [["old.json", old], ["recent.json", recent]]) {
      await lake
        .prepare("INSERT INTO s3_objects (source_id, bucket, key, etag, size, last_modified, state, queued_at) VALUES ('ret', 'b', ?, 'e', 1, ?, 'DONE', ?)")
        .bind(key, modified, modified)
        .run();
      await lake
        .prepare("INSERT INTO data_audit (p_row_id, p_source_id, p_source_label, p_parse_time, operation, status, s3_bucket, s3_key, s3_etag, s3_object_size) VALUES (?, 'ret', 'R', ?, 'GetObject', 'SUCCESS', 'b', ?, 'e', 1)")
        .bind(`ret-${key}`, modified, key)
        .run();
    }
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "30 3 * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await lake.prepare("SELECT key FROM s3_objects WHERE source_id = 'ret'").all()).results).toEqual([{ key: "recent.json" }]);
    expect((await lake.prepare("SELECT s3_key FROM data_audit WHERE p_source_id = 'ret'").all()).results).toEqual([{ s3_key: "recent.json" }]);
  });
});
