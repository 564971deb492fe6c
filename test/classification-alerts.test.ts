import { beforeAll, describe, expect, it, vi } from "vitest";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import worker from "../worker/index";
import { api, env, errorOf, tokenFor } from "./helpers/api";
import { createHttpSource, createSchema, simpleSpec } from "./helpers/factories";
import { ingest, lakeCounts, ndjson } from "./helpers/ingest";

const good = (i: number) => ({ message: `event ${i}`, time: "2026-11-29T10:00:00Z" });
// Fails Custom.Strict until `code` is made optional.
const bad = (i: number) => ({ message: `bad ${i}`, time: "2026-11-29T10:00:00Z", code: "not-a-number" });
const strict = simpleSpec("  - name: code\n    type: bigint\n    required: true\n");
const fixed = simpleSpec("  - name: code\n    type: string\n");

async function classificationAlerts(sourceId: string) {
  const res = await api(`/api/alerts?type=SYSTEM_ERROR&subtype=SOURCE_CLASSIFICATION_FAILURES&sourceId=${sourceId}`);
  return res.body.results as { id: string; status: string; title: string; eventCount: number; severity: string }[];
}

async function waitForJob(jobId: string) {
  return vi.waitFor(
    async () => {
      const job = await api(`/api/reprocessing-jobs/${jobId}`);
      if (job.body.status !== "COMPLETED") throw new Error(`job is ${job.body.status}`);
      return job.body;
    },
    { timeout: 15_000, interval: 200 },
  );
}

beforeAll(async () => {
  await createSchema("Custom.Strict", strict);
});

describe("SOURCE_CLASSIFICATION_FAILURES", () => {
  it("is raised once by the first failing line, in the same request; later failures join it without a new notification", async () => {
    const src = await createHttpSource({ integrationLabel: "Checkout API", logTypes: ["Custom.Strict"] });
    const before = (await api("/api/notifications")).body.results.length;
    const res = await ingest(src.integrationId, ndjson([{ ...good(1), code: 5 }, bad(1)]));
    expect(res.body).toEqual({ accepted: 2, classified: 1, failed: 1 });
    const [alert] = await classificationAlerts(src.integrationId);
    expect(alert).toMatchObject({ status: "OPEN", severity: "CRITICAL", eventCount: 1, title: "Logs from Checkout API cannot be classified into its attached schemas" });
    const detail = await api(`/api/alerts/${alert.id}`);
    expect(detail.body.description).toMatch(/First error: \$\.code: expected bigint, got "not-a-number"/);
    expect(detail.body.link).toBe(`#/sources/${src.integrationId}/health`);
    expect(detail.body.systemError).toMatchObject({ type: "SOURCE_CLASSIFICATION_FAILURES", relatedComponent: "LOG_SOURCE", sourceId: src.integrationId, sourceType: "http" });

    await ingest(src.integrationId, ndjson([bad(2), bad(3)]));
    const alerts = await classificationAlerts(src.integrationId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].eventCount).toBe(3);
    const after = (await api("/api/notifications")).body.results.filter((n: { alertId: string }) => n.alertId === alert.id);
    expect(after).toHaveLength(1);
    expect((await api("/api/notifications")).body.results.length).toBe(before + 1);

    const failures = await api(`/api/alerts/${alert.id}/failures?limit=2`);
    expect(failures.body.results).toHaveLength(2);
    expect(failures.body.results[0]).toMatchObject({ error: '$.code: expected bigint, got "not-a-number"', errorPath: "$.code", status: "FAILED" });
    expect(JSON.parse(failures.body.results[0].payload).message).toBe("bad 1");
    const rest = await api(`/api/alerts/${alert.id}/failures?limit=2&cursor=${encodeURIComponent(failures.body.next)}`);
    expect(rest.body.results).toHaveLength(1);
    expect(rest.body.next).toBeNull();
  });

  it("cannot be resolved by PATCH, only by Reprocess or Skip", async () => {
    const src = await createHttpSource({ logTypes: ["Custom.Strict"] });
    await ingest(src.integrationId, ndjson([bad(1)]));
    const [alert] = await classificationAlerts(src.integrationId);
    const patch = await api(`/api/alerts/${alert.id}`, { method: "PATCH", body: { status: "RESOLVED" } });
    expect(patch.status).toBe(409);
    expect(patch.body.error.message).toMatch(/Reprocess or Skip/);
    const triage = await api(`/api/alerts/${alert.id}`, { method: "PATCH", body: { status: "TRIAGED", assignee: "ana" } });
    expect(triage.body).toMatchObject({ status: "TRIAGED", assignee: "ana" });
    const history = (await api(`/api/alerts/${alert.id}`)).body.history;
    expect(history.map((h: { field: string; to: string }) => [h.field, h.to])).toEqual([["status", "TRIAGED"], ["assignee", "ana"]]);
    const ro = await tokenFor("ReadOnly");
    expect((await api(`/api/alerts/${alert.id}/resolve`, { token: ro.token, body: { reprocess: false } })).status).toBe(403);
    expect(errorOf(await api(`/api/alerts/${alert.id}/resolve`, { body: { reprocess: "yes" } })).paths).toEqual(["reprocess"]);
    expect((await api(`/api/alerts/nope/resolve`, { body: { reprocess: false } })).status).toBe(404);
  });

  it("Reprocess after fixing the schema moves the lines into the lake, leaves lines older than 15 days, and notifies with counts", async () => {
    await createSchema("Custom.Fixable", strict);
    const src = await createHttpSource({ integrationLabel: "Fixable", logTypes: ["Custom.Fixable"] });
    await ingest(src.integrationId, ndjson([bad(1), bad(2), good(3), { ...good(4), code: 1 }]));
    // A failure received 20 days ago: outside the window, left alone.
    await env.LAKE.prepare(
      "INSERT INTO classification_failures (p_row_id, p_source_id, p_source_label, p_parse_time, payload, payload_length, error, schemas_tried) VALUES ('old-1', ?, 'Fixable', ?, ?, 10, 'x', '[]')",
    )
      .bind(src.integrationId, new Date(Date.now() - 20 * 86_400_000).toISOString(), JSON.stringify(bad(0)))
      .run();
    const [alert] = await classificationAlerts(src.integrationId);
    await createSchema("Custom.Fixable", fixed);

    const { token } = await tokenFor("Analyst");
    const res = await api(`/api/alerts/${alert.id}/resolve`, { token, body: { reprocess: true } });
    expect(res.status).toBe(202);
    const job = await waitForJob(res.body.jobId);
    expect(job).toMatchObject({ reclassified: 3, stillFailing: 0, tooOld: 1, total: 3 });
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 4, failures: 4 });
    const statuses = await env.LAKE.prepare("SELECT status, count(*) AS n FROM classification_failures WHERE p_source_id = ? GROUP BY status ORDER BY status")
      .bind(src.integrationId)
      .all();
    expect(statuses.results).toEqual([{ status: "FAILED", n: 1 }, { status: "REPROCESSED", n: 3 }]);
    expect((await api(`/api/alerts/${alert.id}`)).body).toMatchObject({ status: "RESOLVED", resolution: expect.stringMatching(/Reprocessing requested by Analyst/) });
    const note = (await api("/api/notifications")).body.results.find((n: { kind: string; alertId: string }) => n.kind === "REPROCESSING_COMPLETED" && n.alertId === alert.id);
    expect(note.message).toBe("Completed reclassifying logs for source Fixable: 3 reclassified, 0 still failing, 1 older than 15 days");
    expect(await classificationAlerts(src.integrationId)).toHaveLength(1);
    // The monitor's counters follow: the reclassified lines count as events of their minute now.
    const metrics = await api(`/api/log-sources/${src.integrationId}/metrics?intervalMinutes=60`);
    expect(metrics.body.totals).toMatchObject({ eventsProcessed: 4, classificationFailures: 0 });
    expect(metrics.body.series.at(-1).byLogType["Custom.Fixable"]).toEqual({ eventsProcessed: 4, classificationFailures: 0 });
  });

  it("lines that still fail after Reprocess raise a new alert listing them", async () => {
    await createSchema("Custom.Stubborn", strict);
    const src = await createHttpSource({ logTypes: ["Custom.Stubborn"] });
    await ingest(src.integrationId, ndjson([bad(1), bad(2)]));
    const [alert] = await classificationAlerts(src.integrationId);
    const res = await api(`/api/alerts/${alert.id}/resolve`, { body: { reprocess: true } });
    expect(await waitForJob(res.body.jobId)).toMatchObject({ reclassified: 0, stillFailing: 2 });
    const alerts = await classificationAlerts(src.integrationId);
    expect(alerts.map((a) => a.status)).toEqual(["OPEN", "RESOLVED"]);
    const failures = await api(`/api/alerts/${alerts[0].id}/failures`);
    expect(failures.body.results).toHaveLength(2);
  });

  it("Skip marks the lines SKIPPED and ingests nothing", async () => {
    await createSchema("Custom.Skippy", strict);
    const src = await createHttpSource({ logTypes: ["Custom.Skippy"] });
    await ingest(src.integrationId, ndjson([bad(1), bad(2)]));
    const [alert] = await classificationAlerts(src.integrationId);
    await createSchema("Custom.Skippy", fixed);
    const res = await api(`/api/alerts/${alert.id}/resolve`, { body: { reprocess: false } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("RESOLVED");
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 0, failures: 2 });
    const skipped = await env.LAKE.prepare("SELECT count(*) AS n FROM classification_failures WHERE p_source_id = ? AND status = 'SKIPPED'").bind(src.integrationId).first<{ n: number }>();
    expect(skipped!.n).toBe(2);
    expect((await api(`/api/alerts/${alert.id}/resolve`, { body: { reprocess: false } })).status).toBe(409);
  });

  it("a re-delivered JOBS message inserts nothing twice", async () => {
    await createSchema("Custom.Redeliver", fixed);
    const src = await createHttpSource({ integrationLabel: "Redeliver", logTypes: ["Custom.Redeliver"] });
    const now = new Date().toISOString();
    for (let i = 0; i < 3; i++) {
      await env.LAKE.prepare(
        "INSERT INTO classification_failures (p_row_id, p_source_id, p_source_label, p_parse_time, payload, payload_length, error, schemas_tried) VALUES (?, ?, 'Redeliver', ?, ?, 10, 'x', '[]')",
      )
        .bind(`redeliver-${i}`, src.integrationId, now, JSON.stringify(good(i)))
        .run();
    }
    const jobId = crypto.randomUUID();
    await env.DB.prepare(
      "INSERT INTO reprocessing_jobs (id, alert_id, source_id, status, cutoff, up_to, total, created_at, created_by) VALUES (?, 'a', ?, 'RUNNING', ?, ?, 3, ?, 'test')",
    )
      .bind(jobId, src.integrationId, new Date(Date.now() - 15 * 86_400_000).toISOString(), new Date(Date.now() + 1000).toISOString(), now)
      .run();
    const message = { id: "m1", timestamp: new Date(), attempts: 1, body: { kind: "reprocess", jobId, after: null } };
    for (const attempt of [1, 2]) {
      const batch = createMessageBatch("pipewatch-jobs", [{ ...message, attempts: attempt }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m1"]);
    }
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 3, failures: 3 });
    expect((await api(`/api/reprocessing-jobs/${jobId}`)).body).toMatchObject({ status: "COMPLETED", reclassified: 3, stillFailing: 0 });
    const notes = (await api("/api/notifications")).body.results.filter((n: { message: string }) => n.message.includes("source Redeliver"));
    expect(notes).toHaveLength(1);
  });

  it("acks unreadable job messages instead of retrying them forever", async () => {
    const batch = createMessageBatch("pipewatch-jobs", [{ id: "junk", timestamp: new Date(), attempts: 1, body: { kind: "explode" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["junk"]);
    expect((await api("/api/reprocessing-jobs/nope")).status).toBe(404);
  });
});
