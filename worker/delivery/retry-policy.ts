/**
 * When to try a delivery again, and when to give up. Pure: the consumer passes in what happened
 * and the attempt number, and acts on the decision (ack, retry with a delay, or stop).
 */

/** Seconds before each attempt when DELIVERY_RETRY_SCHEDULE is missing or unreadable. */
export const DEFAULT_SCHEDULE: readonly number[] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

/** Retry-After is honoured up to 12 hours: the longest delay a queue message can be given. */
export const MAX_DELAY_SECONDS = 12 * 3600;

/** A receiver that has not answered in 15 s is treated as down; the attempt is retried. */
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** Answers that will not change by trying again: a bad request, bad credentials, a gone endpoint. */
export const PERMANENT_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 410]);

/** What one attempt came to. `statusCode` is null when there was no HTTP answer. */
export type AttemptOutcome =
  | { kind: "answered"; statusCode: number; retryAfterSeconds: number | null }
  | { kind: "timeout" }
  | { kind: "network"; error: string };

export type Decision =
  | { status: "DELIVERED" }
  | { status: "RETRYING"; delaySeconds: number }
  | { status: "FAILED"; reason: "permanent" | "exhausted" };

/**
 * "0,5,300" → [0, 5, 300]: seconds to wait before attempt 1, 2, 3. An empty or malformed value
 * falls back to the default schedule rather than to no retries at all.
 */
export function parseSchedule(text: string | undefined): number[] {
  const parts = (text ?? "").split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) return [...DEFAULT_SCHEDULE];
  return parts.map((p) => Math.min(Number(p), MAX_DELAY_SECONDS));
}

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP date names its month ("Wed, 21 Oct 2015 07:28:00 GMT"); anything else is noise.
  const at = /[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

export function isSuccess(outcome: AttemptOutcome): boolean {
  return outcome.kind === "answered" && outcome.statusCode >= 200 && outcome.statusCode < 300;
}

/**
 * Decides after attempt number `attempt` (1-based). The schedule has one delay per attempt, so
 * attempt n+1 waits schedule[n]; a Retry-After longer than that wins, capped at 12 hours. Once
 * every scheduled attempt has been made the delivery has failed.
 */
export function decide(outcome: AttemptOutcome, attempt: number, schedule: readonly number[]): Decision {
  if (isSuccess(outcome)) return { status: "DELIVERED" };
  if (outcome.kind === "answered" && PERMANENT_STATUSES.has(outcome.statusCode)) return { status: "FAILED", reason: "permanent" };
  if (attempt >= schedule.length) return { status: "FAILED", reason: "exhausted" };
  const scheduled = schedule[attempt];
  const asked = outcome.kind === "answered" ? (outcome.retryAfterSeconds ?? 0) : 0;
  return { status: "RETRYING", delaySeconds: Math.min(Math.max(scheduled, asked), MAX_DELAY_SECONDS) };
}

/** The human line stored on the attempt and the delivery. */
export function describeOutcome(outcome: AttemptOutcome, timeoutMs = ATTEMPT_TIMEOUT_MS): string {
  switch (outcome.kind) {
    case "answered":
      return `HTTP ${outcome.statusCode}`;
    case "timeout":
      return `No answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`;
    case "network":
      return `Could not connect: ${outcome.error}`;
    default: {
      const unhandled: never = outcome;
      return String(unhandled);
    }
  }
}
