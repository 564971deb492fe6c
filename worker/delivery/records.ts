import type { deliveries, deliveryAttempts } from "../db/schema";

export type DeliveryRow = typeof deliveries.$inferSelect;
export type AttemptRow = typeof deliveryAttempts.$inferSelect;

/** The alert id of test deliveries: they belong to no alert. */
export const TEST_ALERT_ID = "test";

/**
 * A new delivery, not yet attempted. Its webhook id is fixed here and sent on every attempt, so a
 * receiver can recognise retries of one delivery.
 */
export function newDelivery(alertId: string, outputId: string, kind: DeliveryRow["kind"], now: Date): DeliveryRow {
  const id = crypto.randomUUID();
  return {
    id,
    alertId,
    outputId,
    kind,
    status: "PENDING",
    success: false,
    statusCode: null,
    message: "",
    attempts: 0,
    webhookId: `msg_${id.replaceAll("-", "")}`,
    dispatchedAt: now.toISOString(),
    lastAttemptAt: null,
    nextAttemptAt: now.toISOString(),
  };
}

/** A delivery record as the API shows it (API.md), with what it was sent to when known. */
export function presentDelivery(row: DeliveryRow, destination?: { displayName: string; outputType: string } | null) {
  return {
    id: row.id,
    alertId: row.alertId,
    outputId: row.outputId,
    outputType: destination?.outputType ?? null,
    displayName: destination?.displayName ?? null,
    kind: row.kind,
    status: row.status,
    success: row.success,
    statusCode: row.statusCode,
    message: row.message,
    attempts: row.attempts,
    dispatchedAt: row.dispatchedAt,
    lastAttemptAt: row.lastAttemptAt,
    nextAttemptAt: row.nextAttemptAt,
  };
}

export function presentAttempt(row: AttemptRow) {
  return {
    attempt: row.attempt,
    at: row.at,
    success: row.success,
    statusCode: row.statusCode,
    message: row.message,
    responseExcerpt: row.responseExcerpt,
    durationMs: row.durationMs,
  };
}
