import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, errorOf, tokenFor } from "./helpers/api";
import { attempt, createDestination, deliveryRow, hookUrl, insertAlert, insertDelivery } from "./helpers/delivery";
import { Receiver } from "./helpers/receiver";
import { resetDeliveryIO, setDeliveryFetch } from "../worker/delivery/io";

const receiver = new Receiver();
beforeAll(() => setDeliveryFetch(receiver.fetch));
afterAll(() => resetDeliveryIO());

const RECORD_KEYS = ["id", "alertId", "outputId", "outputType", "displayName", "kind", "status", "success", "statusCode", "message", "attempts", "dispatchedAt", "lastAttemptAt", "nextAttemptAt"];

/** An alert whose delivery to a destination failed for good. */
async function failedDelivery() {
  const url = hookUrl("gone");
  const dest = await createDestination({ outputConfig: { webhookURL: url }, alertTypes: ["RULE"] });
  const alert = await insertAlert();
  const delivery = await insertDelivery(alert.id, dest.outputId);
  receiver.script(url, { status: 404, body: "no such hook" });
  expect((await attempt(delivery.id, 1)).row.status).toBe("FAILED");
  return { url, dest, alert, delivery };
}

describe("an alert's deliveries", () => {
  it("lists them with their outcome", async () => {
    const { dest, alert, delivery } = await failedDelivery();
    const res = await api(`/api/alerts/${alert.id}/deliveries`);
    expect(res.status).toBe(200);
    expect(res.body.next).toBeNull();
    expect(res.body.results).toHaveLength(1);
    expect(Object.keys(res.body.results[0])).toEqual(RECORD_KEYS);
    expect(res.body.results[0]).toMatchObject({
      id: delivery.id,
      alertId: alert.id,
      outputId: dest.outputId,
      outputType: "customwebhook",
      displayName: dest.displayName,
      kind: "ALERT",
      status: "FAILED",
      success: false,
      statusCode: 404,
      attempts: 1,
      message: "HTTP 404: no such hook; not retried: the receiver refused the request for good",
    });
    expect((await api("/api/alerts/nope/deliveries")).status).toBe(404);
  });

  it("re-sends to chosen destinations; Analysts may, ReadOnly may not", async () => {
    const { url, dest, alert, delivery } = await failedDelivery();
    const { token: analyst } = await tokenFor("Analyst");
    const { token: readOnly } = await tokenFor("ReadOnly");

    expect((await api(`/api/alerts/${alert.id}/deliver`, { token: readOnly, body: { outputIds: [dest.outputId] } })).status).toBe(403);
    const unknown = await api(`/api/alerts/${alert.id}/deliver`, { token: analyst, body: { outputIds: [dest.outputId, "nope"] } });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown)).toEqual({ code: "VALIDATION_FAILED", paths: ["outputIds[1]"] });
    for (const body of [{ outputIds: [] }, { outputIds: "x" }, { extra: 1 }, { kind: "TEST" }]) {
      expect((await api(`/api/alerts/${alert.id}/deliver`, { token: analyst, body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(`/api/alerts/${alert.id}/deliver`, { token: analyst, body: { kind: "RESOLVED" } })).status).toBe(409);
    expect((await api("/api/alerts/nope/deliver", { token: analyst, body: {} })).status).toBe(404);

    const resent = await api(`/api/alerts/${alert.id}/deliver`, { token: analyst, body: { outputIds: [dest.outputId] } });
    expect(resent.status).toBe(202);
    expect(resent.body.results).toHaveLength(1);
    const [record] = resent.body.results;
    expect(record).toMatchObject({ alertId: alert.id, outputId: dest.outputId, status: "PENDING", attempts: 0, kind: "ALERT", displayName: dest.displayName });
    expect(record.id).not.toBe(delivery.id);
    // The queue delivers it; the receiver works again.
    await attempt(record.id, 1);
    await vi.waitFor(async () => expect((await deliveryRow(record.id))!.status).toBe("DELIVERED"), { timeout: 5000, interval: 50 });
    expect(receiver.to(url).at(-1)!.json.alertId).toBe(alert.id);

    const audit = await api(`/api/audit-log?targetId=${alert.id}`);
    expect(audit.body.results[0]).toMatchObject({ action: "alert.deliver", details: { kind: "ALERT", outputIds: [dest.outputId] } });
  });

  it("re-routes when no destinations are named", async () => {
    const alert = await insertAlert({ severity: "CRITICAL" });
    const a = await createDestination({ alertTypes: ["RULE"], defaultForSeverity: ["CRITICAL"] });
    const res = await api(`/api/alerts/${alert.id}/deliver`, { method: "POST" });
    expect(res.status).toBe(202);
    expect(res.body.results.map((r: { outputId: string }) => r.outputId)).toContain(a.outputId);
  });
});

describe("the non-delivered list", () => {
  it("lists failed deliveries until a re-send gets through, and never test alerts", async () => {
    const { url, dest, alert, delivery } = await failedDelivery();
    receiver.script(url, { status: 500 });
    const failedTest = await api(`/api/alert-destinations/${dest.outputId}/test`, { method: "POST" });
    expect(failedTest.body.status).toBe("FAILED");

    const listed = async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { results: { id: string }[]; next: string | null } } = await api(`/api/deliveries?status=FAILED&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
        ids.push(...page.body.results.map((r) => r.id));
        cursor = page.body.next;
      } while (cursor);
      return ids;
    };
    expect(await listed()).toContain(delivery.id);
    expect(await listed()).not.toContain(failedTest.body.id);
    const one = await api(`/api/deliveries?status=FAILED&outputId=${dest.outputId}`);
    expect(one.body.results).toHaveLength(1);
    expect(one.body.results[0]).toMatchObject({ id: delivery.id, alert: { title: alert.title, severity: "HIGH", type: "RULE", status: "OPEN" } });
    const tests = await api(`/api/deliveries?kind=TEST&outputId=${dest.outputId}`);
    expect(tests.body.results.map((r: { id: string }) => r.id)).toEqual([failedTest.body.id]);

    const resent = await api(`/api/alerts/${alert.id}/deliver`, { body: { outputIds: [dest.outputId] } });
    await attempt(resent.body.results[0].id, 1);
    await vi.waitFor(async () => expect((await deliveryRow(resent.body.results[0].id))!.status).toBe("DELIVERED"), { timeout: 5000, interval: 50 });
    expect(await listed()).not.toContain(delivery.id);
    const all = await api(`/api/deliveries?alertId=${alert.id}`);
    expect(all.body.results.map((r: { status: string }) => r.status)).toEqual(["DELIVERED", "FAILED"]);
    expect((await api("/api/deliveries?status=LOST")).status).toBe(400);
  });

  it("shows one delivery and pages its attempts", async () => {
    const url = hookUrl();
    const dest = await createDestination({ outputConfig: { webhookURL: url }, alertTypes: ["RULE"] });
    const delivery = await insertDelivery((await insertAlert()).id, dest.outputId);
    receiver.script(url, { status: 500, body: "a" }, { status: 502, body: "b" });
    for (let n = 1; n <= 3; n++) await attempt(delivery.id, n);
    const got = await api(`/api/deliveries/${delivery.id}`);
    expect(got.body).toMatchObject({ id: delivery.id, status: "DELIVERED", attempts: 3 });
    const first = await api(`/api/deliveries/${delivery.id}/attempts?limit=2`);
    expect(first.body.results.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2]);
    expect(Object.keys(first.body.results[0])).toEqual(["attempt", "at", "success", "statusCode", "message", "responseExcerpt", "durationMs"]);
    const rest = await api(`/api/deliveries/${delivery.id}/attempts?limit=2&cursor=${first.body.next}`);
    expect(rest.body).toMatchObject({ results: [{ attempt: 3, success: true, statusCode: 200 }], next: null });
    expect((await api("/api/deliveries/nope")).status).toBe(404);
    expect((await api("/api/deliveries/nope/attempts")).status).toBe(404);
  });
});
