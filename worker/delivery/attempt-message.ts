import { describeOutcome, type Decision } from "./retry-policy";
import type { SentAttempt } from "./sender";

/** "5 s", "5 min", "2 h": how long until the next attempt. */
export function formatDelay(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}

function oneLine(text: string | null, max = 200): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** What the receiver said, or why it said nothing: "HTTP 503: busy", "No answer within 15 s". */
export function describeAnswer(sent: SentAttempt, timeoutMs: number): string {
  const body = oneLine(sent.responseExcerpt);
  return `${describeOutcome(sent.outcome, timeoutMs)}${body ? `: ${body}` : ""}`;
}

/** The delivery's message after an attempt: the answer, then what happens next. */
export function describeAttempt(sent: SentAttempt, decision: Decision, attempt: number, scheduled: number, timeoutMs: number): string {
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
