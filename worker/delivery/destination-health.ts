import { and, eq, gt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { destinations } from "../db/schema";
import { raiseSystemError, resolveSystemError } from "../alerts/system-errors";
import { SYSTEM_ACTOR } from "../auth/actor";
import type { DestinationRow } from "./destination-input";

/**
 * Failed attempts in a row, across a destination's alerts, that raise ALERT_DELIVERY. With the
 * default schedule (0 s, 5 s, 5 min) the third failure of one alert comes about 5 minutes in.
 */
export const FAILURES_BEFORE_ALERT = 3;

export interface LastFailure {
  statusCode: number | null;
  /** What the receiver answered, or why there was no answer: "HTTP 503: busy", "No answer within 15 s". */
  message: string;
}

/**
 * Counts a failed attempt. From the third in a row, raises ALERT_DELIVERY for the destination:
 * once (later failures join the open alert), and never sent to the failing destination itself.
 */
export async function recordDestinationFailure(env: Env, dest: DestinationRow, last: LastFailure, now: Date): Promise<void> {
  const db = drizzle(env.DB);
  const [counted] = await db
    .update(destinations)
    .set({ consecutiveFailures: sql`${destinations.consecutiveFailures} + 1` })
    .where(eq(destinations.id, dest.id))
    .returning({ failures: destinations.consecutiveFailures });
  if (!counted || counted.failures < FAILURES_BEFORE_ALERT) return;
  await raiseSystemError(
    env,
    {
      type: "ALERT_DELIVERY",
      component: { kind: "DESTINATION", id: dest.id, label: dest.displayName },
      title: `Alerts cannot be delivered to ${dest.displayName}`,
      message:
        `The last ${counted.failures} attempts to deliver alerts to ${dest.displayName} (${dest.outputType}) failed; the last one got: ${last.message}. ` +
        "Check the destination's URL or key and that the receiving service is up, then send a test alert from the destination's page. " +
        "Alerts that could not be delivered are listed as non-delivered and can be re-sent. This error clears by itself when a delivery succeeds.",
      link: `#/destinations/${dest.id}`,
      context: { outputType: dest.outputType, consecutiveFailures: counted.failures, lastStatusCode: last.statusCode, lastError: last.message },
    },
    { now, excludeOutputIds: [dest.id] },
  );
}

/** A success ends the failure streak and resolves the destination's ALERT_DELIVERY, if any. */
export async function recordDestinationSuccess(env: Env, dest: DestinationRow, now: Date): Promise<void> {
  const db = drizzle(env.DB);
  const reset = await db
    .update(destinations)
    .set({ consecutiveFailures: 0 })
    .where(and(eq(destinations.id, dest.id), gt(destinations.consecutiveFailures, 0)))
    .returning({ id: destinations.id });
  if (reset.length === 0) return;
  await resolveSystemError(env, "ALERT_DELIVERY", dest.id, {
    by: SYSTEM_ACTOR,
    reason: `An alert was delivered to ${dest.displayName} again.`,
    now,
  });
}
