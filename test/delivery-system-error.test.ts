import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { api, env, errorOf } from "./helpers/api";
import { attempt, createDestination, deliveryRow, destinationRow, hookUrl, insertAlert, insertDelivery, withSchedule } from "./helpers/delivery";
import { Receiver } from "./helpers/receiver";
import { alerts, deliveries, notifications } from "../worker/db/schema";
import { resetDeliveryIO, setDeliveryFetch } from "../worker/delivery/io";

const receiver = new Receiver();
beforeAll(() => setDeliveryFetch(receiver.fetch));
afterAll(() => resetDeliveryIO());

const db = () => drizzle(env.DB);
const deliveryErrors = (destinationId: string) =>
  db().select().from(alerts).where(and(eq(alerts.systemErrorType, "ALERT_DELIVERY"), eq(alerts.componentId, destinationId)));
const deliveriesOf = (alertId: string) => db().select().from(deliveries).where(eq(deliveries.alertId, alertId));

/** Sees a queued delivery through, whether the test's queue consumer or ours gets to it first. */
async function settle(id: string) {
  await attempt(id, 1);
  await vi.waitFor(async () => expect((await deliveryRow(id))!.status).toBe("DELIVERED"), { timeout: 5000, interval: 50 });
}

describe("ALERT_DELIVERY", () => {
  it("is raised once after 3 failed attempts, goes only to the other System-Error destinations, and resolves on success", async () => {
    const deadUrl = hookUrl("dead");
    const opsUrl = hookUrl("ops");
    const dead = await createDestination({ outputConfig: { webhookURL: deadUrl }, alertTypes: ["RULE", "SYSTEM_ERROR"], sendResolved: true });
    const ops = await createDestination({ outputType: "slack", outputConfig: { webhookURL: opsUrl }, alertTypes: ["SYSTEM_ERROR"], defaultForSeverity: [], sendResolved: true });
    const rulesOnly = await createDestination({ alertTypes: ["RULE"] });
    receiver.script(deadUrl, { status: 500, body: "boom" }, { status: 502 }, { status: 504, body: "gateway timeout" }, { status: 500 });

    const d1 = await insertDelivery((await insertAlert()).id, dead.outputId);
    const d2 = await insertDelivery((await insertAlert()).id, dead.outputId);
    await attempt(d1.id, 1);
    await attempt(d2.id, 1);
    expect(await deliveryErrors(dead.outputId)).toEqual([]);
    await attempt(d1.id, 2);

    const [raised, ...more] = await deliveryErrors(dead.outputId);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({
      type: "SYSTEM_ERROR",
      severity: "CRITICAL",
      status: "OPEN",
      title: `Alerts cannot be delivered to ${dead.displayName}`,
      relatedComponent: "DESTINATION",
      componentLabel: dead.displayName,
      link: `#/destinations/${dead.outputId}`,
    });
    expect(raised.description).toContain("HTTP 504: gateway timeout");
    expect(raised.description).toContain("send a test alert");
    const notes = await db().select().from(notifications).where(eq(notifications.alertId, raised.id));
    expect(notes.map((n) => n.kind)).toEqual(["SYSTEM_ERROR"]);
    const sent = await deliveriesOf(raised.id);
    expect(sent.map((d) => d.outputId)).toEqual([ops.outputId]);

    // A fourth failure joins the open alert: no new alert, no new delivery.
    await attempt(d2.id, 2);
    const [joined, ...none] = await deliveryErrors(dead.outputId);
    expect(none).toEqual([]);
    expect(joined).toMatchObject({ id: raised.id, eventCount: 2 });
    expect(await deliveriesOf(raised.id)).toHaveLength(1);

    await settle(sent[0].id);
    expect(receiver.to(opsUrl).map((r) => r.json.text)).toEqual([`[CRITICAL] Alerts cannot be delivered to ${dead.displayName}`]);

    // Nobody can send it to the failing destination by hand either.
    const toDead = await api(`/api/alerts/${raised.id}/deliver`, { body: { outputIds: [ops.outputId, dead.outputId] } });
    expect(toDead.status).toBe(400);
    expect(errorOf(toDead).paths).toEqual(["outputIds[1]"]);
    const rerouted = await api(`/api/alerts/${raised.id}/deliver`, { method: "POST" });
    expect(rerouted.status).toBe(202);
    expect(rerouted.body.results.map((d: { outputId: string }) => d.outputId)).toEqual([ops.outputId]);
    await settle(rerouted.body.results[0].id);

    // The destination answers again: the streak ends and the error resolves, with a notification.
    const recovered = await attempt(d1.id, 3);
    expect(recovered.row.status).toBe("DELIVERED");
    expect((await destinationRow(dead.outputId))!.consecutiveFailures).toBe(0);
    const [after] = await deliveryErrors(dead.outputId);
    expect(after).toMatchObject({ id: raised.id, status: "RESOLVED", resolvedBy: "Pipewatch" });
    const resolvedNotes = await db().select().from(notifications).where(and(eq(notifications.alertId, raised.id), eq(notifications.kind, "SYSTEM_ERROR_RESOLVED")));
    expect(resolvedNotes.map((n) => n.title)).toEqual([`Resolved: Alerts cannot be delivered to ${dead.displayName}`]);

    // Its resolution goes to sendResolved destinations, still never to the one it is about.
    const resolutions = (await deliveriesOf(raised.id)).filter((d) => d.kind === "RESOLVED");
    expect(resolutions.map((d) => d.outputId)).toEqual([ops.outputId]);
    await settle(resolutions[0].id);
    expect(receiver.to(opsUrl).at(-1)!.json.text).toBe(`Resolved: Alerts cannot be delivered to ${dead.displayName}`);

    for (const req of receiver.to(deadUrl)) expect(req.json.type).toBe("RULE");
    expect(await deliveriesOf(raised.id).then((rows) => rows.filter((d) => d.outputId === dead.outputId || d.outputId === rulesOnly.outputId))).toEqual([]);
  });

  it("is resolved by a successful test alert", async () => {
    const url = hookUrl("flaky");
    const flaky = await createDestination({ outputConfig: { webhookURL: url }, alertTypes: ["RULE"] });
    receiver.script(url, { status: 500 }, { status: 500 }, { status: 500 });
    const delivery = await insertDelivery((await insertAlert()).id, flaky.outputId);
    const quick = withSchedule("0,0,0");
    for (let n = 1; n <= 3; n++) await attempt(delivery.id, n, { env: quick });
    expect((await deliveryRow(delivery.id))!.status).toBe("FAILED");
    const [open] = await deliveryErrors(flaky.outputId);
    expect(open.status).toBe("OPEN");

    const test = await api(`/api/alert-destinations/${flaky.outputId}/test`, { method: "POST" });
    expect(test.body.status).toBe("DELIVERED");
    expect((await deliveryErrors(flaky.outputId))[0].status).toBe("RESOLVED");
  });

  it("is resolved when its destination is deleted", async () => {
    const url = hookUrl("gone");
    const gone = await createDestination({ outputConfig: { webhookURL: url }, alertTypes: ["RULE"] });
    receiver.script(url, { status: 500 }, { status: 500 }, { status: 500 });
    const delivery = await insertDelivery((await insertAlert()).id, gone.outputId);
    for (let n = 1; n <= 3; n++) await attempt(delivery.id, n, { env: withSchedule("0,0,0,0") });
    expect((await deliveryErrors(gone.outputId))[0].status).toBe("OPEN");
    await api(`/api/alert-destinations/${gone.outputId}`, { method: "DELETE" });
    const [closed] = await deliveryErrors(gone.outputId);
    expect(closed).toMatchObject({ status: "RESOLVED", resolvedBy: "Admin token" });
    expect((await deliveryRow(delivery.id))!.status).toBe("FAILED");
  });
});
