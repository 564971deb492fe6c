/**
 * Refused ingest requests, counted in this isolate's memory and flushed to the source's monitor
 * at most once a minute per source: unauthenticated traffic must not be able to load storage.
 * A flood of refusals costs one monitor call a minute; a count still pending when the isolate
 * goes away is lost, which only delays the credentials check by a refusal or two.
 */
const FLUSH_EVERY_MS = 60_000;
/** Sources tracked at once; beyond this, unknown ids cannot grow memory without bound. */
const MAX_TRACKED = 10_000;

interface Pending {
  count: number;
  lastFlush: number;
}

const pending = new Map<string, Pending>();

/** Counts a refusal; answers the count to flush now, or 0 when the last flush was under a minute ago. */
export function noteRefusal(sourceId: string, now: number): number {
  let entry = pending.get(sourceId);
  if (!entry) {
    if (pending.size >= MAX_TRACKED) pending.clear();
    entry = { count: 0, lastFlush: 0 };
    pending.set(sourceId, entry);
  }
  entry.count++;
  if (now - entry.lastFlush < FLUSH_EVERY_MS) return 0;
  const count = entry.count;
  entry.count = 0;
  entry.lastFlush = now;
  return count;
}
