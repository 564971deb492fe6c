import { eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alerts, deliveries, destinations } from "../db/schema";
import { routeAlert, type DeliveryKind } from "./routing";

/** A DELIVERIES queue message: ids only; the alert and destination are read when it is handled. */
export interface DeliveryMessage {
  deliveryId: string;
}

export type DeliveryRow = typeof deliveries.$inferSelect;

/**
 * Creates one delivery per routed destination and queues it. The alert is already persisted;
 * a message carries only the delivery id. `outputIds` forces the targets (a manual re-send).
 */
export async function dispatchAlert(
  env: Env,
  alertId: string,
  opts: { kind: DeliveryKind; exclude?: readonly string[]; outputIds?: readonly string[]; now?: Date },
): Promise<DeliveryRow[]> {
  const db = drizzle(env.DB);
  const alert = await db.select().from(alerts).where(eq(alerts.id, alertId)).get();
  if (!alert) return [];
  const candidates = opts.outputIds
    ? await db.select().from(destinations).where(inArray(destinations.id, [...opts.outputIds]))
    : await db.select().from(destinations);
  const targets = opts.outputIds ? candidates.map((d) => d.id) : routeAlert(alert, candidates, opts);
  if (targets.length === 0) return [];
  const now = (opts.now ?? new Date()).toISOString();
  const rows: DeliveryRow[] = targets.map((outputId) => {
    const id = crypto.randomUUID();
    return {
      id,
      alertId,
      outputId,
      kind: opts.kind,
      status: "PENDING",
      success: false,
      statusCode: null,
      message: "",
      attempts: 0,
      webhookId: `msg_${id.replaceAll("-", "")}`,
      dispatchedAt: now,
      lastAttemptAt: null,
      nextAttemptAt: now,
    };
  });
  // Persist first, then queue: a message never points at a delivery that does not exist.
  // One statement per row: a multi-row insert would pass D1's 100 bound parameters.
  const [first, ...rest] = rows.map((r) => db.insert(deliveries).values(r));
  await db.batch([first, ...rest]);
  await env.DELIVERIES.sendBatch(rows.map((r) => ({ body: { deliveryId: r.id } satisfies DeliveryMessage })));
  return rows;
}
