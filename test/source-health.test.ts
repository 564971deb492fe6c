import { beforeAll, describe, expect, it } from "vitest";
import { createExecutionContext, createScheduledController, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import worker from "../worker/index";
import { api, env } from "./helpers/api";
import { createHttpSource, seedSchema } from "./helpers/factories";
import { ingest, ndjson } from "./helpers/ingest";
import { monitor, quietFor, sendEvents } from "./helpers/monitor";

const good = { message: "ok", time: "2026-11-29T10:00:00Z" };

async function systemErrors(sourceId: string) {
  const res = await api(`/api/alerts?type=SYSTEM_ERROR&sourceId=${sourceId}`);
  return res.body.results as { id: string; status: string; title: string; systemError: { type: string } }[];
}

const checksOf = (body: { checks: { name: string; healthy: boolean; message: string }[] }) =>
  Object.fromEntries(body.checks.map((c) => [c.name, c]));

beforeAll(() => seedSchema("Custom.Test"));

describe("HTTP source health", () => {
  it("is healthy with no data yet, and says so", async () => {
    const src = await createHttpSource();
    const res = await api(`/api/log-sources/${src.integrationId}/health`);
    expect(res.body.isHealthy).toBe(true);
    expect(res.body.checks.map((c: { name: string }) => c.name)).toEqual(["dataArriving", "credentials", "classification"]);
    expect(checksOf(res.body).dataArriving.message).toMatch(/No data has arrived yet/);
    expect(res.body.checks[0].checkedAt).toEqual(expect.any(String));
  });

  it("turns credentials unhealthy when a shipper keeps being refused, raises SOURCE_PERMISSIONS_CHECKS once, and resolves when accepted again", async () => {
    const src = await createHttpSource({ integrationLabel: "Refused shipper" });
    const id = src.integrationId;
    for (let i = 0; i < 5; i++) expect((await ingest(id, ndjson([good]), { secret: "wrong-secret-00" })).status).toBe(401);
    // Refusals reach the monitor at most once a minute: the first came at once; the rest arrive with the next flush.
    expect((await monitor(id).healthSnapshot()).refused15m).toBe(1);
    await monitor(id).recordRefusals(4, Date.now());

    // Reading health has no side effects: only the cron and Re-check raise or resolve.
    const read = await api(`/api/log-sources/${id}/health`);
    expect(read.body.isHealthy).toBe(false);
    expect(await systemErrors(id)).toEqual([]);

    const check = await api(`/api/log-sources/${id}/health-check`, { method: "POST" });
    expect(check.body.isHealthy).toBe(false);
    expect(checksOf(check.body).credentials).toMatchObject({ healthy: false, rawErrorMessage: "401 Unauthorized x5" });
    await api(`/api/log-sources/${id}/health-check`, { method: "POST" });
    const raised = await systemErrors(id);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ status: "OPEN", systemError: { type: "SOURCE_PERMISSIONS_CHECKS" } });
    expect(raised[0].title).toMatch(/^Refused shipper has turned unhealthy: credentials: 5 requests were refused/);
    expect((await api(`/api/log-sources/http/${id}`)).body.isHealthy).toBe(false);
    expect((await api("/api/log-sources?type=http")).body.results.find((s: { integrationId: string }) => s.integrationId === id).isHealthy).toBe(false);

    expect((await ingest(id, ndjson([good]))).status).toBe(200);
    const healthy = await api(`/api/log-sources/${id}/health-check`, { method: "POST" });
    expect(healthy.body.isHealthy).toBe(true);
    expect((await systemErrors(id))[0].status).toBe("RESOLVED");
    expect((await api(`/api/log-sources/http/${id}`)).body.isHealthy).toBe(true);
  });

  it("shows classification trouble on the health tab without a second System Error", async () => {
    const src = await createHttpSource();
    await ingest(src.integrationId, ndjson([good, "bad", "bad", "bad", good, good, good, good, good, good]));
    const res = await api(`/api/log-sources/${src.integrationId}/health`);
    expect(checksOf(res.body).classification).toMatchObject({ healthy: false });
    expect(checksOf(res.body).classification.message).toMatch(/3 of 10 lines \(30%\) failed/);
    expect((await systemErrors(src.integrationId)).map((a) => a.systemError.type)).toEqual(["SOURCE_CLASSIFICATION_FAILURES"]);
  });

  it("a quiet source raises SOURCE_NO_DATA only, and its health says so", async () => {
    const src = await createHttpSource({ dropOffAlarm: { minutesThreshold: 15 } });
    await sendEvents(src.integrationId);
    await quietFor(src.integrationId, 16);
    await runDurableObjectAlarm(monitor(src.integrationId));
    const res = await api(`/api/log-sources/${src.integrationId}/health-check`, { method: "POST" });
    expect(res.body.isHealthy).toBe(false);
    expect(checksOf(res.body).dataArriving).toMatchObject({ healthy: false });
    expect(checksOf(res.body).credentials.healthy).toBe(true);
    expect((await systemErrors(src.integrationId)).map((a) => a.systemError.type)).toEqual(["SOURCE_NO_DATA"]);
  });

  it("answers 404 for unknown sources and validates metrics ranges", async () => {
    expect((await api("/api/log-sources/nope/health")).status).toBe(404);
    expect((await api("/api/log-sources/nope/health-check", { method: "POST" })).status).toBe(404);
    const src = await createHttpSource();
    expect((await api(`/api/log-sources/${src.integrationId}/metrics?intervalMinutes=0`)).status).toBe(400);
    expect((await api(`/api/log-sources/${src.integrationId}/metrics?from=2026-11-29T10:00:00Z&to=2026-11-29T09:00:00Z`)).status).toBe(400);
    expect((await api(`/api/log-sources/${src.integrationId}/metrics?intervalMinutes=1&from=2026-11-01T00:00:00Z&to=2026-11-29T00:00:00Z`)).status).toBe(400);
  });
});

describe("the every-minute cron", () => {
  it("runs the health checks and mirrors the audit trail into the lake", async () => {
    const src = await createHttpSource({ integrationLabel: "Cron checked" });
    await monitor(src.integrationId).recordRefusals(6, Date.now());
    const controller = createScheduledController({ cron: "* * * * *", scheduledTime: new Date() });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await api(`/api/log-sources/http/${src.integrationId}`)).body.isHealthy).toBe(false);
    expect((await systemErrors(src.integrationId)).map((a) => a.systemError.type)).toEqual(["SOURCE_PERMISSIONS_CHECKS"]);

    const mirrored = await env.LAKE.prepare("SELECT body FROM events WHERE p_source_id = 'audit' AND p_log_type = 'Pipewatch.Audit'").all<{ body: string }>();
    const actions = mirrored.results.map((r) => JSON.parse(r.body).action);
    expect(actions).toContain("log_source.create");
    const view = await env.LAKE.prepare("SELECT action, targetId FROM pipewatch_audit WHERE targetId = ?").bind(src.integrationId).first();
    expect(view).toEqual({ action: "log_source.create", targetId: src.integrationId });
    // Mirroring again copies nothing twice.
    const again = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: new Date() }), env, again);
    await waitOnExecutionContext(again);
    const count = await env.LAKE.prepare("SELECT count(*) AS n FROM events WHERE p_source_id = 'audit'").first<{ n: number }>();
    expect(count!.n).toBe(mirrored.results.length);
  });

  it("the daily cron applies lake retention", async () => {
    const old = new Date(Date.now() - 200 * 86_400_000).toISOString();
    await env.LAKE.prepare("INSERT INTO events (p_row_id, p_log_type, p_event_time, p_parse_time, p_source_id, p_source_label, body) VALUES ('ancient', 'Custom.Test', ?, ?, 's', 'S', '{}')")
      .bind(old, old)
      .run();
    await env.LAKE.prepare("INSERT INTO events (p_row_id, p_log_type, p_event_time, p_parse_time, p_source_id, p_source_label, body) VALUES ('recent', 'Custom.Test', ?, ?, 's', 'S', '{}')")
      .bind(new Date().toISOString(), new Date().toISOString())
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "30 3 * * *", scheduledTime: new Date() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.LAKE.prepare("SELECT p_row_id FROM events WHERE p_row_id IN ('ancient', 'recent')").all<{ p_row_id: string }>();
    expect(left.results.map((r) => r.p_row_id)).toEqual(["recent"]);
  });
});
