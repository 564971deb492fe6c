import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alerts, deliveries, deliveryAttempts, destinations } from "../db/schema";
import { alertView, testAlertView, type AlertRow } from "./alert-message";
import { describeAnswer, describeAttempt } from "./attempt-message";
import { recordDestinationFailure, recordDestinationSuccess } from "./destination-health";
import type { DestinationRow } from "./destination-input";
import type { DeliveryIO } from "./io";
import type { DestinationKind } from "./kind";
import type { DeliveryRow } from "./records";
import { kindOf } from "./registry";
import { decide, describeOutcome, isSuccess, MAX_DELAY_SECONDS, type Decision } from "./retry-policy";
import { sendOnce, type SentAttempt } from "./sender";

/** What the queue consumer should do with the message after a step. */
export type Step = { action: "ack"; delivery: DeliveryRow | null; note?: string } | { action: "retry"; delaySeconds: number; delivery: DeliveryRow };

export interface AttemptOptions {
  io: DeliveryIO;
  /** Seconds before each attempt (DELIVERY_RETRY_SCHEDULE). */
  schedule: readonly number[];
  dashboardUrl: string;
}

interface Ready {
  dest: DestinationRow;
  alert: AlertRow | null;
  kind: DestinationKind<Record<string, unknown>>;
  config: Record<string, unknown>;
}

const OPEN = ["PENDING", "RETRYING"] as const;
/** A message may arrive a moment before its delivery is due; that is close enough. */
const DUE_SLACK_SECONDS = 1;
/** How long a resolution waits, at least, for its alert's delivery to the same place to finish. */
const RESOLUTION_WAIT_SECONDS = 5;

const secondsUntil = (iso: string | null, now: Date) => (iso ? Math.ceil((Date.parse(iso) - now.getTime()) / 1000) : 0);

/** Ends a delivery that cannot be attempted at all (its destination or alert is gone). */
async function failWithoutAttempt(env: Env, row: DeliveryRow, message: string): Promise<Step> {
  const [failed] = await drizzle(env.DB)
    .update(deliveries)
    .set({ status: "FAILED", success: false, message, nextAttemptAt: null })
    .where(and(eq(deliveries.id, row.id), inArray(deliveries.status, [...OPEN])))
    .returning();
  return { action: "ack", delivery: failed ?? row, note: message };
}

/** Loads what an attempt needs, or answers why there will be no attempt now. */
async function prepare(env: Env, row: DeliveryRow, now: Date): Promise<Ready | Step> {
  const db = drizzle(env.DB);
  const dest = await db.select().from(destinations).where(eq(destinations.id, row.outputId)).get();
  if (!dest) return failWithoutAttempt(env, row, "The destination was deleted");
  const alert = row.kind === "TEST" ? null : await db.select().from(alerts).where(eq(alerts.id, row.alertId)).get();
  if (row.kind !== "TEST" && !alert) return failWithoutAttempt(env, row, "The alert no longer exists");
  const kind = kindOf(dest.outputType);
  // JSON read from the database is validated where it is read.
  const config = kind.schema.safeParse({ ...dest.config, ...dest.secrets });
  if (!config.success) return failWithoutAttempt(env, row, `The destination's stored configuration is not valid: ${config.error.issues[0]?.message}`);
  if (row.kind === "RESOLVED") {
    // A resolution must not overtake its alert: a pager would open an incident after closing it.
    const [pending] = await db
      .select({ nextAttemptAt: deliveries.nextAttemptAt })
      .from(deliveries)
      .where(and(eq(deliveries.alertId, row.alertId), eq(deliveries.outputId, row.outputId), eq(deliveries.kind, "ALERT"), inArray(deliveries.status, [...OPEN])))
      .limit(1);
    if (pending) return { action: "retry", delaySeconds: Math.min(Math.max(secondsUntil(pending.nextAttemptAt, now) + 1, RESOLUTION_WAIT_SECONDS), MAX_DELAY_SECONDS), delivery: row };
  }
  return { dest, alert: alert ?? null, kind, config: config.data };
}

/** Takes the next attempt number; only one message can take each. */
async function claim(env: Env, row: DeliveryRow, now: Date): Promise<DeliveryRow | undefined> {
  const [claimed] = await drizzle(env.DB)
    .update(deliveries)
    .set({ attempts: row.attempts + 1, lastAttemptAt: now.toISOString() })
    .where(and(eq(deliveries.id, row.id), eq(deliveries.attempts, row.attempts), inArray(deliveries.status, [...OPEN])))
    .returning();
  return claimed;
}

/** Writes the attempt and the delivery's new state together. */
async function record(env: Env, row: DeliveryRow, attempt: number, sent: SentAttempt, decision: Decision, message: string, now: Date, timeoutMs: number) {
  const db = drizzle(env.DB);
  const statusCode = sent.outcome.kind === "answered" ? sent.outcome.statusCode : null;
  const success = isSuccess(sent.outcome);
  const nextAttemptAt = decision.status === "RETRYING" ? new Date(now.getTime() + decision.delaySeconds * 1000).toISOString() : null;
  const [, updated] = await db.batch([
    db
      .insert(deliveryAttempts)
      .values({
        id: crypto.randomUUID(),
        deliveryId: row.id,
        attempt,
        at: now.toISOString(),
        success,
        statusCode,
        message: describeOutcome(sent.outcome, timeoutMs),
        responseExcerpt: sent.responseExcerpt,
        durationMs: sent.durationMs,
      })
      .onConflictDoNothing(),
    db.update(deliveries).set({ status: decision.status, success, statusCode, message, nextAttemptAt }).where(eq(deliveries.id, row.id)).returning(),
  ]);
  return updated[0];
}

/** Success ends the destination's failure streak; a failure (not of a test) extends it. */
async function updateHealth(env: Env, row: DeliveryRow, dest: DestinationRow, sent: SentAttempt, now: Date, timeoutMs: number) {
  try {
    if (isSuccess(sent.outcome)) await recordDestinationSuccess(env, dest, now);
    else if (row.kind !== "TEST") {
      const statusCode = sent.outcome.kind === "answered" ? sent.outcome.statusCode : null;
      await recordDestinationFailure(env, dest, { statusCode, message: describeAnswer(sent, timeoutMs) }, now);
    }
  } catch (err) {
    // The attempt is recorded; a bookkeeping error must not make the message send again.
    console.error(JSON.stringify({ level: "error", message: "destination health update failed", deliveryId: row.id, error: String(err) }));
  }
}

/**
 * One step of a delivery: skip it when it is finished or not yet due, else claim the next
 * attempt (one claim per attempt number, so duplicate messages never send twice), send it,
 * record the attempt and the outcome, and update the destination's failure streak.
 */
export async function attemptDelivery(env: Env, deliveryId: string, opts: AttemptOptions): Promise<Step> {
  const row = await drizzle(env.DB).select().from(deliveries).where(eq(deliveries.id, deliveryId)).get();
  if (!row) return { action: "ack", delivery: null, note: "no such delivery" };
  if (row.status === "DELIVERED" || row.status === "FAILED") return { action: "ack", delivery: row, note: `already ${row.status}` };
  const now = opts.io.now();
  const wait = secondsUntil(row.nextAttemptAt, now);
  if (wait > DUE_SLACK_SECONDS) return { action: "retry", delaySeconds: Math.min(wait, MAX_DELAY_SECONDS), delivery: row };
  const ready = await prepare(env, row, now);
  if ("action" in ready) return ready;
  const claimed = await claim(env, row, now);
  if (!claimed) return { action: "ack", delivery: row, note: "attempt already taken by another message" };

  const { dest, alert, kind, config } = ready;
  const view = alert ? alertView(alert, opts.dashboardUrl) : testAlertView(dest, row.id, now, opts.dashboardUrl);
  const request = kind.format({ kind: row.kind, alert: view }, config);
  const sent = await sendOnce(kind, request, config, { fetch: opts.io.fetch, webhookId: row.webhookId, now, timeoutMs: opts.io.timeoutMs });
  // A test alert is sent once, while someone waits for the answer.
  const schedule = row.kind === "TEST" ? [0] : opts.schedule;
  const decision = decide(sent.outcome, claimed.attempts, schedule);
  const message = describeAttempt(sent, decision, claimed.attempts, schedule.length, opts.io.timeoutMs);
  const delivery = (await record(env, row, claimed.attempts, sent, decision, message, now, opts.io.timeoutMs)) ?? claimed;
  await updateHealth(env, row, dest, sent, now, opts.io.timeoutMs);
  return decision.status === "RETRYING" ? { action: "retry", delaySeconds: decision.delaySeconds, delivery } : { action: "ack", delivery };
}
