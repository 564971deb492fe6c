import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alerts, deliveries, deliveryAttempts, destinations } from "../db/schema";
import { alertView, testAlertView } from "./alert-message";
import { recordDestinationFailure, recordDestinationSuccess } from "./destination-health";
import type { DeliveryIO } from "./io";
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

const OPEN = ["PENDING", "RETRYING"] as const;
/** A message may arrive a moment before its delivery is due; that is close enough. */
const DUE_SLACK_SECONDS = 1;

function formatDelay(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}

function oneLine(text: string | null, max = 200): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "HTTP 503: busy" or "No answer within 15 s". */
function describeAnswer(sent: SentAttempt, timeoutMs: number): string {
  const body = oneLine(sent.responseExcerpt);
  return `${describeOutcome(sent.outcome, timeoutMs)}${body ? `: ${body}` : ""}`;
}

function describe(sent: SentAttempt, decision: Decision, attempt: number, scheduled: number, timeoutMs: number): string {
  const answer = describeAnswer(sent, timeoutMs);
  switch (decision.status) {
    case "DELIVERED":
      return answer;
    case "RETRYING":
      return `${answer}; attempt ${attempt} of ${scheduled}, next in ${formatDelay(decision.delaySeconds)}`;
    case "FAILED":
      return decision.reason === "permanent"
        ? `${answer}; not retried: the receiver refused the request for good`
        : `${answer}; gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}`;
    default: {
      const unhandled: never = decision;
      return String(unhandled);
    }
  }
}

/** Ends a delivery that cannot be attempted at all (its destination or alert is gone). */
async function failWithoutAttempt(env: Env, row: DeliveryRow, message: string): Promise<Step> {
  const [failed] = await drizzle(env.DB)
    .update(deliveries)
    .set({ status: "FAILED", success: false, message, nextAttemptAt: null })
    .where(and(eq(deliveries.id, row.id), inArray(deliveries.status, [...OPEN])))
    .returning();
  return { action: "ack", delivery: failed ?? row, note: message };
}

/**
 * One step of a delivery: skip it when it is finished or not yet due, else claim the next
 * attempt (one claim per attempt number, so duplicate messages never send twice), send it,
 * record the attempt and the outcome, and update the destination's failure streak.
 */
export async function attemptDelivery(env: Env, deliveryId: string, opts: AttemptOptions): Promise<Step> {
  const db = drizzle(env.DB);
  const row = await db.select().from(deliveries).where(eq(deliveries.id, deliveryId)).get();
  if (!row) return { action: "ack", delivery: null, note: "no such delivery" };
  if (row.status === "DELIVERED" || row.status === "FAILED") return { action: "ack", delivery: row, note: `already ${row.status}` };
  const now = opts.io.now();
  const wait = row.nextAttemptAt ? Math.ceil((Date.parse(row.nextAttemptAt) - now.getTime()) / 1000) : 0;
  if (wait > DUE_SLACK_SECONDS) return { action: "retry", delaySeconds: Math.min(wait, MAX_DELAY_SECONDS), delivery: row };

  const dest = await db.select().from(destinations).where(eq(destinations.id, row.outputId)).get();
  if (!dest) return failWithoutAttempt(env, row, "The destination was deleted");
  const alert = row.kind === "TEST" ? null : await db.select().from(alerts).where(eq(alerts.id, row.alertId)).get();
  if (row.kind !== "TEST" && !alert) return failWithoutAttempt(env, row, "The alert no longer exists");
  const kind = kindOf(dest.outputType);
  // JSON read from the database is validated where it is read.
  const config = kind.schema.safeParse({ ...dest.config, ...dest.secrets });
  if (!config.success) return failWithoutAttempt(env, row, `The destination's stored configuration is not valid: ${config.error.issues[0]?.message}`);

  const [claimed] = await db
    .update(deliveries)
    .set({ attempts: row.attempts + 1, lastAttemptAt: now.toISOString() })
    .where(and(eq(deliveries.id, row.id), eq(deliveries.attempts, row.attempts), inArray(deliveries.status, [...OPEN])))
    .returning();
  if (!claimed) return { action: "ack", delivery: row, note: "attempt already taken by another message" };
  const attempt = claimed.attempts;

  const view = alert ? alertView(alert, opts.dashboardUrl) : testAlertView(dest, row.id, now, opts.dashboardUrl);
  const request = kind.format({ kind: row.kind, alert: view }, config.data);
  const sent = await sendOnce(kind, request, config.data, { fetch: opts.io.fetch, webhookId: row.webhookId, now, timeoutMs: opts.io.timeoutMs });
  // A test alert is sent once, while someone waits for the answer.
  const schedule = row.kind === "TEST" ? [0] : opts.schedule;
  const decision = decide(sent.outcome, attempt, schedule);
  const statusCode = sent.outcome.kind === "answered" ? sent.outcome.statusCode : null;
  const success = isSuccess(sent.outcome);
  const message = describe(sent, decision, attempt, schedule.length, opts.io.timeoutMs);
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
        message: describeOutcome(sent.outcome, opts.io.timeoutMs),
        responseExcerpt: sent.responseExcerpt,
        durationMs: sent.durationMs,
      })
      .onConflictDoNothing(),
    db.update(deliveries).set({ status: decision.status, success, statusCode, message, nextAttemptAt }).where(eq(deliveries.id, row.id)).returning(),
  ]);

  try {
    if (success) await recordDestinationSuccess(env, dest, now);
    else if (row.kind !== "TEST") await recordDestinationFailure(env, dest, { statusCode, message: describeAnswer(sent, opts.io.timeoutMs) }, now);
  } catch (err) {
    // The attempt is recorded; a health bookkeeping error must not make the message send again.
    console.error(JSON.stringify({ level: "error", message: "destination health update failed", deliveryId: row.id, error: String(err) }));
  }
  const delivery = updated[0] ?? claimed;
  return decision.status === "RETRYING" ? { action: "retry", delaySeconds: decision.delaySeconds, delivery } : { action: "ack", delivery };
}
