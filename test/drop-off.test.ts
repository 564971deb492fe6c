import { beforeAll, describe, expect, it } from "vitest";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { SourceMonitor } from "../worker/sources/source-monitor";
import { api, env, errorOf, tokenFor } from "./helpers/api";
import { createHttpSource, seedSchema } from "./helpers/factories";
import { monitor, quietFor, scheduledAlarm, sendEvents } from "./helpers/monitor";

beforeAll(() => seedSchema("Custom.Test"));

async function noDataAlerts(sourceId: string) {
  const res = await api(`/api/alerts?type=SYSTEM_ERROR&subtype=SOURCE_NO_DATA&sourceId=${sourceId}`);
  return res.body.results as { id: string; status: string; title: string; severity: string }[];
}

describe("drop-off alarm", () => {
  it("starts in INSUFFICIENT_DATA with the default 24 hours, and cannot fire before data", async () => {
    const src = await createHttpSource({ integrationLabel: "Quiet proxies" });
    const alarm = await api(`/api/log-source-alarms/${src.integrationId}/SOURCE_NO_DATA`);
    expect(alarm.body).toEqual({ type: "SOURCE_NO_DATA", minutesThreshold: 1440, state: "INSUFFICIENT_DATA" });
    expect(await scheduledAlarm(src.integrationId)).toBeNull();
  });

  it("raises one SOURCE_NO_DATA per crossing, none while in ALARM, and resolves with a notification when data returns", async () => {
    const src = await createHttpSource({ integrationLabel: "Firewall A", dropOffAlarm: { minutesThreshold: 30 } });
    const id = src.integrationId;
    await sendEvents(id);
    const armedAt = await scheduledAlarm(id);
    expect(armedAt).toBeGreaterThan(Date.now() + 29 * 60_000);

    // The alarm fires early (data is recent): nothing raised, re-armed.
    expect(await runDurableObjectAlarm(monitor(id))).toBe(true);
    expect(await noDataAlerts(id)).toEqual([]);
    expect(await scheduledAlarm(id)).not.toBeNull();

    await quietFor(id, 31);
    expect(await runDurableObjectAlarm(monitor(id))).toBe(true);
    const [alert] = await noDataAlerts(id);
    expect(alert).toMatchObject({ status: "OPEN", severity: "CRITICAL", title: "No events processed from Firewall A in the last 30 minutes" });
    expect((await api(`/api/log-source-alarms/${id}/SOURCE_NO_DATA`)).body.state).toBe("ALARM");
    // One alert per crossing: no alarm is left armed, and a retried handler raises nothing more.
    expect(await scheduledAlarm(id)).toBeNull();
    await runInDurableObject(monitor(id), (instance: SourceMonitor) => instance.alarm());
    expect(await noDataAlerts(id)).toHaveLength(1);

    const notes = await api("/api/notifications?unread=true");
    expect(notes.body.results.some((n: { alertId: string; kind: string }) => n.alertId === alert.id && n.kind === "SYSTEM_ERROR")).toBe(true);

    await sendEvents(id);
    const [resolved] = await noDataAlerts(id);
    expect(resolved.status).toBe("RESOLVED");
    const detail = await api(`/api/alerts/${alert.id}`);
    expect(detail.body).toMatchObject({ resolvedBy: "Pipewatch", resolution: expect.stringMatching(/^Events arrived again at /) });
    const after = await api("/api/notifications");
    expect(after.body.results.some((n: { alertId: string; kind: string }) => n.alertId === alert.id && n.kind === "SYSTEM_ERROR_RESOLVED")).toBe(true);
    expect((await api(`/api/log-source-alarms/${id}/SOURCE_NO_DATA`)).body.state).toBe("OK");

    // Re-armed for the next crossing, which raises a second, new alert.
    expect(await scheduledAlarm(id)).not.toBeNull();
    await quietFor(id, 45);
    await runDurableObjectAlarm(monitor(id));
    const all = await noDataAlerts(id);
    expect(all.map((a) => a.status)).toEqual(["OPEN", "RESOLVED"]);
  });

  it("re-arms when the threshold changes, and turns off when the alarm is deleted", async () => {
    const src = await createHttpSource({ dropOffAlarm: { minutesThreshold: 600 } });
    const id = src.integrationId;
    await sendEvents(id);
    const before = (await scheduledAlarm(id))!;
    const put = await api(`/api/log-source-alarms/${id}/SOURCE_NO_DATA`, { method: "PUT", body: { minutesThreshold: 20 } });
    expect(put.body).toEqual({ type: "SOURCE_NO_DATA", minutesThreshold: 20, state: "OK" });
    const after = (await scheduledAlarm(id))!;
    expect(after).toBeLessThan(before);
    expect(after).toBeLessThanOrEqual(Date.now() + 20 * 60_000);
    expect((await api(`/api/log-sources/http/${id}`)).body.dropOffAlarm).toEqual({ minutesThreshold: 20 });

    const del = await api(`/api/log-source-alarms/${id}/SOURCE_NO_DATA`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect(await scheduledAlarm(id)).toBeNull();
    expect((await api(`/api/log-source-alarms/${id}/SOURCE_NO_DATA`)).status).toBe(404);
    expect((await api(`/api/log-sources/http/${id}`)).body.dropOffAlarm).toBeNull();
  });

  it("pausing disarms the alarm at once and resuming counts silence from then", async () => {
    const src = await createHttpSource({ dropOffAlarm: { minutesThreshold: 15 } });
    const id = src.integrationId;
    await sendEvents(id);
    await api(`/api/log-sources/http/${id}`, { method: "PUT", body: { enabled: false } });
    expect(await scheduledAlarm(id)).toBeNull();
    await api(`/api/log-sources/http/${id}`, { method: "PUT", body: { enabled: true } });
    const armed = (await scheduledAlarm(id))!;
    expect(armed).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it("a deleted source leaves no alarm, no monitor state and no open alert behind", async () => {
    const src = await createHttpSource({ dropOffAlarm: { minutesThreshold: 15 } });
    const id = src.integrationId;
    await sendEvents(id);
    await quietFor(id, 20);
    await runDurableObjectAlarm(monitor(id));
    expect((await noDataAlerts(id))[0].status).toBe("OPEN");
    await api(`/api/log-sources/http/${id}`, { method: "DELETE" });
    expect(await scheduledAlarm(id)).toBeNull();
    expect(await monitor(id).state()).toEqual({ lastEventReceivedAt: null, lastEventProcessedAt: null });
    const [closed] = await noDataAlerts(id);
    expect(closed.status).toBe("RESOLVED");
    expect((await api(`/api/alerts/${closed.id}`)).body.resolution).toMatch(/was deleted by Admin token/);
  });

  it("validates thresholds, refuses audit sources with a reason, and needs Admin to change", async () => {
    const src = await createHttpSource();
    const low = await api(`/api/log-source-alarms/${src.integrationId}/SOURCE_NO_DATA`, { method: "PUT", body: { minutesThreshold: 14 } });
    expect(errorOf(low).paths).toEqual(["minutesThreshold"]);
    const wrongType = await api(`/api/log-source-alarms/${src.integrationId}/SOURCE_NO_DATA`, { method: "PUT", body: { minutesThreshold: "60" } });
    expect(errorOf(wrongType).paths).toEqual(["minutesThreshold"]);
    const audit = await api("/api/log-source-alarms/audit/SOURCE_NO_DATA", { method: "PUT", body: { minutesThreshold: 60 } });
    expect(audit.status).toBe(400);
    expect(audit.body.error.message).toMatch(/audit log source cannot have a drop-off alarm/);
    expect((await api(`/api/log-source-alarms/${src.integrationId}/SOURCE_PERMISSIONS_CHECKS`)).status).toBe(404);
    expect((await api("/api/log-source-alarms/nope/SOURCE_NO_DATA")).status).toBe(404);
    const { token } = await tokenFor("Analyst");
    expect((await api(`/api/log-source-alarms/${src.integrationId}/SOURCE_NO_DATA`, { token, method: "PUT", body: { minutesThreshold: 60 } })).status).toBe(403);
    expect((await api(`/api/log-source-alarms/${src.integrationId}/SOURCE_NO_DATA`, { token })).status).toBe(200);
  });

  it("stays quiet for a source that never received data", async () => {
    const src = await createHttpSource({ dropOffAlarm: { minutesThreshold: 15 } });
    expect(await runDurableObjectAlarm(monitor(src.integrationId))).toBe(false);
    expect(await noDataAlerts(src.integrationId)).toEqual([]);
    void env;
  });
});
