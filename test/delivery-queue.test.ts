import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { api } from "./helpers/api";
import { attempt, attemptsOf, createDestination, deliveryRow, destinationRow, drive, hookUrl, insertAlert, insertDelivery, withSchedule } from "./helpers/delivery";
import { Receiver } from "./helpers/receiver";
import { resetDeliveryIO, setDeliveryFetch, setDeliveryIO } from "../worker/delivery/io";

const SECRET = `whsec_${btoa("queue-test-signing-key-32-bytes!")}`;
const receiver = new Receiver();
beforeAll(() => setDeliveryFetch(receiver.fetch));
afterAll(() => resetDeliveryIO());
afterEach(() => setDeliveryIO({ timeoutMs: undefined }));

/** A destination of rule alerts only, so System Errors raised here never reach it. */
async function hook(url = hookUrl(), extra: Record<string, unknown> = {}) {
  const dest = await createDestination({ alertTypes: ["RULE"], outputConfig: { webhookURL: url, ...extra } });
  const alert = await insertAlert();
  const delivery = await insertDelivery(alert.id, dest.outputId);
  return { url, dest, alert, delivery };
}

const delayOf = (row: { lastAttemptAt: string | null; nextAttemptAt: string | null }) =>
  (Date.parse(row.nextAttemptAt!) - Date.parse(row.lastAttemptAt!)) / 1000;

describe("the deliveries consumer", () => {
  it("retries 5xx answers on the schedule, then delivers, signing every attempt with one webhook-id", async () => {
    const { url, dest, delivery } = await hook(undefined, { signingSecret: SECRET });
    receiver.script(url, { status: 500, body: "down for maintenance" }, { status: 503 }, { status: 200, body: "thanks" });

    const first = await attempt(delivery.id, 1);
    expect(first).toMatchObject({ acked: false, retried: true });
    expect(first.row).toMatchObject({ status: "RETRYING", success: false, statusCode: 500, attempts: 1 });
    expect(first.row.message).toBe("HTTP 500: down for maintenance; attempt 1 of 8, next in 5 s");
    expect(delayOf(first.row)).toBe(5);
    expect(first.delaySeconds).toBe(5);

    const second = await attempt(delivery.id, 2);
    expect(second.row).toMatchObject({ status: "RETRYING", statusCode: 503, attempts: 2 });
    expect(delayOf(second.row)).toBe(300);
    expect((await destinationRow(dest.outputId))!.consecutiveFailures).toBe(2);

    const third = await attempt(delivery.id, 3);
    expect(third).toMatchObject({ acked: true, retried: false });
    expect(third.row).toMatchObject({ status: "DELIVERED", success: true, statusCode: 200, attempts: 3, nextAttemptAt: null, message: "HTTP 200: thanks" });
    expect((await destinationRow(dest.outputId))!.consecutiveFailures).toBe(0);

    const sent = receiver.to(url);
    expect(sent).toHaveLength(3);
    const wh = new Webhook(SECRET);
    for (const req of sent) {
      expect(req.headers["webhook-id"]).toBe(delivery.webhookId);
      expect(() => wh.verify(req.body, req.headers)).not.toThrow();
    }
    expect(() => wh.verify(sent[0].body, { ...sent[0].headers, "webhook-id": "msg_other" })).toThrow();

    const attempts = await api(`/api/deliveries/${delivery.id}/attempts`);
    expect(attempts.body.results.map((a: { attempt: number; statusCode: number; responseExcerpt: string }) => [a.attempt, a.statusCode, a.responseExcerpt])).toEqual([
      [1, 500, "down for maintenance"],
      [2, 503, ""],
      [3, 200, "thanks"],
    ]);
  });

  it("sends nothing for a message re-delivered after its delivery succeeded", async () => {
    const { url, delivery } = await hook();
    expect((await attempt(delivery.id, 1)).row.status).toBe("DELIVERED");
    const again = await attempt(delivery.id, 2);
    expect(again).toMatchObject({ acked: true, retried: false });
    expect(again.row.attempts).toBe(1);
    expect(receiver.to(url)).toHaveLength(1);
  });

  it("sends once when a batch holds the same message twice", async () => {
    const { url, delivery } = await hook();
    const result = await drive("pipewatch-deliveries", [{ deliveryId: delivery.id }, { deliveryId: delivery.id }]);
    expect(result.explicitAcks.sort()).toEqual([...result.ids].sort());
    expect(receiver.to(url)).toHaveLength(1);
    expect((await deliveryRow(delivery.id))!.attempts).toBe(1);
  });

  it("retries timeouts and network errors", async () => {
    const { url, delivery } = await hook();
    setDeliveryIO({ timeoutMs: 100 });
    receiver.script(url, { delayMs: 5000 }, { networkError: "connection refused" });
    const timedOut = await attempt(delivery.id, 1);
    expect(timedOut.retried).toBe(true);
    expect(timedOut.row).toMatchObject({ status: "RETRYING", statusCode: null, message: "No answer within 100 ms; attempt 1 of 8, next in 5 s" });
    const refused = await attempt(delivery.id, 2);
    expect(refused.row).toMatchObject({ status: "RETRYING", statusCode: null, message: "Could not connect: connection refused; attempt 2 of 8, next in 5 min" });
    const [a1, a2] = await attemptsOf(delivery.id);
    expect(a1.durationMs).toBeLessThan(2000);
    expect([a1.message, a2.message]).toEqual(["No answer within 100 ms", "Could not connect: connection refused"]);
  });

  it("honours Retry-After in seconds or as a date, capped at 12 hours", async () => {
    const { url, delivery } = await hook();
    receiver.script(
      url,
      { status: 429, headers: { "retry-after": "120" } },
      { status: 429, headers: { "retry-after": new Date(Date.now() + 3_600_000).toUTCString() } },
      { status: 503, headers: { "retry-after": "999999" } },
    );
    const asked = await attempt(delivery.id, 1);
    expect(asked.delaySeconds).toBe(120);
    expect(delayOf(asked.row)).toBe(120);
    const dated = delayOf((await attempt(delivery.id, 2)).row);
    expect(dated).toBeGreaterThan(3590);
    expect(dated).toBeLessThanOrEqual(3600);
    const capped = await attempt(delivery.id, 3);
    expect(capped.delaySeconds).toBe(43200);
    expect(delayOf(capped.row)).toBe(43200);
    expect(capped.row.message).toBe("HTTP 503; attempt 3 of 8, next in 12 h");
  });

  it("stops at once on 410 Gone", async () => {
    const { url, dest, delivery } = await hook();
    receiver.script(url, { status: 410, body: "channel_is_archived" });
    const gone = await attempt(delivery.id, 1);
    expect(gone).toMatchObject({ acked: true, retried: false });
    expect(gone.row).toMatchObject({ status: "FAILED", success: false, statusCode: 410, attempts: 1, nextAttemptAt: null });
    expect(gone.row.message).toBe("HTTP 410: channel_is_archived; not retried: the receiver refused the request for good");
    expect((await destinationRow(dest.outputId))!.consecutiveFailures).toBe(1);
    expect(receiver.to(url)).toHaveLength(1);
  });

  it("fails once the schedule is used up, counting from the delivery's own attempts", async () => {
    const { url, delivery } = await hook();
    receiver.script(url, { status: 500 }, { status: 500 }, { status: 500 });
    const env = withSchedule("0,0,0");
    expect((await attempt(delivery.id, 1, { env })).row.status).toBe("RETRYING");
    // The queue's own count may differ (a redelivery after a crash): the row's count decides.
    expect((await attempt(delivery.id, 1, { env })).row.status).toBe("RETRYING");
    const last = await attempt(delivery.id, 7, { env });
    expect(last).toMatchObject({ acked: true });
    expect(last.row).toMatchObject({ status: "FAILED", attempts: 3, message: "HTTP 500; gave up after 3 attempts" });
  });

  it("waits without sending when a message comes before its delivery is due", async () => {
    const { url, delivery } = await hook();
    receiver.script(url, { status: 500 });
    await attempt(delivery.id, 1);
    const early = await drive("pipewatch-deliveries", [{ deliveryId: delivery.id }], { attempts: 2 });
    expect(early.retryMessages.map((m) => m.msgId)).toEqual(early.ids);
    // The rest of the wait, not a new schedule step.
    expect(early.retryMessages[0].delaySeconds).toBeGreaterThanOrEqual(4);
    expect(early.retryMessages[0].delaySeconds).toBeLessThanOrEqual(5);
    expect(receiver.to(url)).toHaveLength(1);
    expect((await deliveryRow(delivery.id))!.attempts).toBe(1);
  });

  it("holds a resolution back until the alert's own delivery to that destination is done", async () => {
    const { url, dest, alert, delivery } = await hook();
    receiver.script(url, { status: 500 });
    await attempt(delivery.id, 1);
    const resolution = await insertDelivery(alert.id, dest.outputId, "RESOLVED");
    const held = await attempt(resolution.id, 1);
    expect(held).toMatchObject({ acked: false, retried: true });
    expect(held.delaySeconds).toBeGreaterThanOrEqual(5);
    expect(held.row).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(receiver.to(url)).toHaveLength(1);

    expect((await attempt(delivery.id, 2)).row.status).toBe("DELIVERED");
    expect((await attempt(resolution.id, 2)).row.status).toBe("DELIVERED");
    expect(receiver.to(url).map((r) => r.json.status)).toEqual(["OPEN", "OPEN", "RESOLVED"]);
  });

  it("acks unreadable messages and unknown deliveries instead of retrying them forever", async () => {
    const result = await drive("pipewatch-deliveries", [{ nope: 1 }, "garbage", null, { deliveryId: "does-not-exist" }]);
    expect(result.explicitAcks.sort()).toEqual([...result.ids].sort());
    expect(result.retryMessages).toEqual([]);
  });

  it("fails deliveries whose destination was deleted, without sending", async () => {
    const { url, dest, delivery } = await hook();
    await api(`/api/alert-destinations/${dest.outputId}`, { method: "DELETE" });
    const step = await attempt(delivery.id, 1);
    expect(step).toMatchObject({ acked: true });
    expect(step.row).toMatchObject({ status: "FAILED", attempts: 0, message: "The destination was deleted" });
    expect(receiver.to(url)).toHaveLength(0);
  });

  it("marks dead-lettered deliveries FAILED, keeping their last answer, and leaves delivered ones alone", async () => {
    const { url, delivery } = await hook();
    receiver.script(url, { status: 502, body: "bad gateway" });
    await attempt(delivery.id, 1);
    const done = await hook();
    await attempt(done.delivery.id, 1);
    const result = await drive("pipewatch-deliveries-dlq", [{ deliveryId: delivery.id }, { deliveryId: done.delivery.id }, "garbage"], { attempts: 1 });
    expect(result.explicitAcks.sort()).toEqual([...result.ids].sort());
    expect(await deliveryRow(delivery.id)).toMatchObject({
      status: "FAILED",
      nextAttemptAt: null,
      message: "HTTP 502: bad gateway; attempt 1 of 8, next in 5 s; the delivery queue gave up after its last retry",
    });
    expect((await deliveryRow(done.delivery.id))!.status).toBe("DELIVERED");
  });

  it("keeps messages of queues it does not consume", async () => {
    const result = await drive("pipewatch-unknown", [{ kind: "anything" }]);
    expect(result.retryBatch.retry).toBe(true);
    expect(result.explicitAcks).toEqual([]);
  });
});
