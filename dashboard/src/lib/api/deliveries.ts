import type { InferResponseType } from "hono/client";
import { client } from "./client";
import type { Page } from "./alerts";

const deliveries = client.api.deliveries;
const alerts = client.api.alerts;

/** A delivery of an alert to one destination. */
export type Delivery = InferResponseType<(typeof alerts)[":id"]["deliveries"]["$get"], 200>["results"][number];
/** A row of the non-delivered list: the delivery and the alert it carried. */
export type UndeliveredAlert = InferResponseType<typeof deliveries.$get, 200>["results"][number];
export type DeliveryAttempt = InferResponseType<(typeof deliveries)[":id"]["attempts"]["$get"], 200>["results"][number];
export type DeliveryStatus = Delivery["status"];

export async function listAlertDeliveries(alertId: string): Promise<Delivery[]> {
  const res = await alerts[":id"].deliveries.$get({ param: { id: alertId }, query: { limit: "100" } });
  return (await res.json()).results;
}

/** Failed deliveries not since made good by a re-send, newest first. */
export async function listUndelivered(cursor?: string): Promise<Page<UndeliveredAlert>> {
  const res = await deliveries.$get({ query: { status: ["FAILED"], limit: "25", ...(cursor ? { cursor } : {}) } });
  return res.json();
}

/** Every attempt of a delivery, first first. */
export async function listAttempts(deliveryId: string): Promise<DeliveryAttempt[]> {
  const res = await deliveries[":id"].attempts.$get({ param: { id: deliveryId }, query: { limit: "100" } });
  return (await res.json()).results;
}

/** Queues the alert again for the given destinations (all its routes when none are named). */
export async function resendAlert(alertId: string, outputIds?: string[], kind: "ALERT" | "RESOLVED" = "ALERT"): Promise<Delivery[]> {
  const res = await alerts[":id"].deliver.$post({ param: { id: alertId }, json: { kind, ...(outputIds ? { outputIds } : {}) } });
  return (await res.json()).results;
}
