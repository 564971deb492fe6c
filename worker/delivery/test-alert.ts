import { drizzle } from "drizzle-orm/d1";
import { deliveries } from "../db/schema";
import { attemptDelivery } from "./attempt";
import type { DestinationRow } from "./destination-input";
import { deliveryIO } from "./io";
import { newDelivery, TEST_ALERT_ID, type DeliveryRow } from "./records";

/**
 * Sends a test alert to a destination now, through the same sender and bookkeeping as queued
 * deliveries, and answers its record. It is tried once (the caller is waiting) and its failure
 * does not count toward ALERT_DELIVERY; a success does end a failure streak.
 */
export async function sendTestAlert(env: Env, dest: DestinationRow): Promise<DeliveryRow> {
  const io = deliveryIO();
  const row = newDelivery(TEST_ALERT_ID, dest.id, "TEST", io.now());
  await drizzle(env.DB).insert(deliveries).values(row);
  const step = await attemptDelivery(env, row.id, { io, schedule: [0], dashboardUrl: env.DASHBOARD_URL ?? "" });
  return step.delivery ?? row;
}
