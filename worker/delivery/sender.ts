import type { DestinationKind, OutgoingRequest } from "./kind";
import { parseRetryAfter, type AttemptOutcome } from "./retry-policy";

/** Kept of each answer: enough to see what the receiver said, bounded for storage. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface SentAttempt {
  outcome: AttemptOutcome;
  responseExcerpt: string | null;
  durationMs: number;
}

export interface SendOptions {
  fetch: typeof fetch;
  webhookId: string;
  now: Date;
  timeoutMs: number;
}

/** Reads at most `limit` bytes of a body and releases the rest. */
async function excerpt(res: Response, limit: number): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, limit));
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/**
 * One attempt: the kind sends its request through the injected fetch, bounded by the timeout
 * (the answer's first kilobyte included). Never throws: every way an attempt can go is an outcome.
 */
export async function sendOnce<C>(kind: DestinationKind<C>, request: OutgoingRequest, config: C, opts: SendOptions): Promise<SentAttempt> {
  const started = Date.now();
  const signal = AbortSignal.timeout(opts.timeoutMs);
  // Settles when the timeout fires, so a receiver that ignores the signal cannot hold the attempt.
  const timedOut = new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
  timedOut.catch(() => undefined);
  try {
    const attempt = (async () => {
      const res = await kind.send(request, config, { fetch: opts.fetch, webhookId: opts.webhookId, now: opts.now, signal });
      const text = await excerpt(res, RESPONSE_EXCERPT_BYTES);
      return { res, text };
    })();
    const { res, text } = await Promise.race([attempt, timedOut]);
    return {
      outcome: { kind: "answered", statusCode: res.status, retryAfterSeconds: parseRetryAfter(res.headers.get("retry-after"), opts.now) },
      responseExcerpt: text,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    const outcome: AttemptOutcome =
      signal.aborted || (err as Error)?.name === "TimeoutError" ? { kind: "timeout" } : { kind: "network", error: errorText(err) };
    return { outcome, responseExcerpt: null, durationMs: Date.now() - started };
  }
}
