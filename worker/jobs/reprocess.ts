import { eq, and, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { logSources, notifications, reprocessingJobs } from "../db/schema";
import { loadClassifier } from "../sources/classifier";
import { chunkStatements, type EventRow } from "../lake/writer";
import { toStoredEventParts } from "../ingest/event-parts";
import { monitorOf } from "../sources/lifecycle";
import { raiseClassificationAlert } from "../alerts/classification";
import { jobCounts } from "./job-counts";

/** Failures re-classified per JOBS message: small enough for one invocation, large enough to be quick. */
export const REPROCESS_CHUNK = 500;

type JobRow = typeof reprocessingJobs.$inferSelect;

interface FailureRecord {
  p_row_id: string;
  p_parse_time: string;
  payload: string;
  payload_sha256: string | null;
}

/**
 * Re-classifies one chunk of a job with today's schemas. Lines that now classify become events
 * with their original row id (so a repeated chunk inserts nothing twice) and are marked
 * REPROCESSED in the same D1 batch; lines that still fail keep FAILED with their new error.
 * Answers the cursor for the next chunk, or null when the job is complete.
 */
export async function runReprocessChunk(env: Env, jobId: string, after: string | null, now = new Date()): Promise<string | null> {
  const db = drizzle(env.DB);
  const job = await db.select().from(reprocessingJobs).where(eq(reprocessingJobs.id, jobId)).get();
  if (!job || job.status !== "RUNNING") return null;
  const source = await db.select().from(logSources).where(eq(logSources.id, job.sourceId)).get();
  if (!source) {
    await db.update(reprocessingJobs).set({ status: "FAILED", finishedAt: now.toISOString() }).where(eq(reprocessingJobs.id, jobId));
    return null;
  }
  const { results } = await env.LAKE.prepare(
    `SELECT p_row_id, p_parse_time, payload, payload_sha256 FROM classification_failures
     WHERE p_source_id = ?1 AND status = 'FAILED' AND p_parse_time >= ?2 AND p_parse_time <= ?3 AND p_row_id > ?4
     ORDER BY p_row_id LIMIT ?5`,
  )
    .bind(job.sourceId, job.cutoff, job.upTo, after ?? "", REPROCESS_CHUNK)
    .all<FailureRecord>();

  const classifier = await loadClassifier(env, source.logTypes);
  const events: EventRow[] = [];
  const fixed: string[] = [];
  const still: [string, string, string | null, string][] = [];
  for (const r of results) {
    if (r.payload_sha256 !== null) {
      // Only the head of an over-long line was kept: it cannot be classified whole.
      still.push([r.p_row_id, "the line is longer than the per-line limit; only its first 64 KB were kept", null, "[]"]);
      continue;
    }
    const outcome = classifier.classify(r.payload);
    if (outcome.ok) {
      fixed.push(r.p_row_id);
      // The original receive time stays the row's parse time, so retention and charts keep its place.
      events.push(toStoredEventParts(outcome.value, r.p_row_id, { sourceId: source.id, sourceLabel: source.label, receivedAt: r.p_parse_time }));
    } else {
      still.push([r.p_row_id, outcome.failure.error, outcome.failure.path, JSON.stringify(outcome.failure.tried)]);
    }
  }
  const stamp = now.toISOString();
  await env.LAKE.batch([
    ...chunkStatements(env.LAKE, events, []),
    env.LAKE.prepare(
      `UPDATE classification_failures SET status = 'REPROCESSED', status_changed_at = ?2, job_id = ?1
       WHERE p_row_id IN (SELECT value FROM json_each(?3))`,
    ).bind(jobId, stamp, JSON.stringify(fixed)),
    env.LAKE.prepare(
      `UPDATE classification_failures SET job_id = ?1, error = j.value->>1, error_path = j.value->>2, schemas_tried = j.value->>3
       FROM json_each(?2) AS j WHERE classification_failures.p_row_id = j.value->>0`,
    ).bind(jobId, JSON.stringify(still)),
  ]);
  if (results.length === REPROCESS_CHUNK) return results[results.length - 1].p_row_id;
  await completeJob(env, job, source, now);
  return null;
}

/** Tells the source's monitor which failures became events, per receive minute and log type. */
async function moveCounters(env: Env, jobId: string, source: typeof logSources.$inferSelect, now: Date) {
  const { results } = await env.LAKE.prepare(
    `SELECT (CAST(strftime('%s', f.p_parse_time) AS INTEGER) / 60) * 60000 AS minute,
            coalesce(json_extract(f.schemas_tried, '$[0].schema'), ?2) AS failedAs, e.p_log_type AS loggedAs, count(*) AS n
     FROM classification_failures f JOIN events e ON e.p_row_id = f.p_row_id
     WHERE f.job_id = ?1 AND f.status = 'REPROCESSED' GROUP BY 1, 2, 3`,
  )
    .bind(jobId, source.logTypes[0] ?? "unknown")
    .all<{ minute: number; failedAs: string; loggedAs: string; n: number }>();
  if (results.length) await monitorOf(env, source.id).reclassified(results, now.getTime());
}

/** Completes a job once (a repeated last chunk finds it completed), notifies, and re-raises for lines that still fail. */
async function completeJob(env: Env, job: JobRow, source: typeof logSources.$inferSelect, now: Date) {
  const db = drizzle(env.DB);
  const counts = await jobCounts(env, job);
  const iso = now.toISOString();
  const message = `Completed reclassifying logs for source ${source.label}: ${counts.reclassified} reclassified, ${counts.stillFailing} still failing, ${counts.tooOld} older than 15 days`;
  // Completion and its notification in one atomic batch: whoever sees COMPLETED finds the
  // notification too. The job's RUNNING guard makes a repeated last chunk complete nothing.
  const [done] = await db.batch([
    db
      .update(reprocessingJobs)
      .set({ status: "COMPLETED", finishedAt: iso, reclassified: counts.reclassified, stillFailing: counts.stillFailing })
      .where(and(eq(reprocessingJobs.id, job.id), eq(reprocessingJobs.status, "RUNNING")))
      .returning(),
    db.insert(notifications).select(
      db
        .select({
          id: sql<string>`${crypto.randomUUID()}`.as("id"),
          kind: sql<string>`'REPROCESSING_COMPLETED'`.as("kind"),
          title: sql<string>`${`Completed reclassifying logs for source ${source.label}`}`.as("title"),
          message: sql<string>`${message}`.as("message"),
          link: sql<string>`${`#/alerts/${job.alertId}`}`.as("link"),
          alertId: sql<string>`${job.alertId}`.as("alert_id"),
          createdAt: sql<string>`${iso}`.as("created_at"),
          readAt: sql<null>`NULL`.as("read_at"),
        })
        .from(reprocessingJobs)
        .where(and(eq(reprocessingJobs.id, job.id), eq(reprocessingJobs.finishedAt, iso))),
    ),
  ]);
  if (done.length === 0) return;
  await moveCounters(env, job.id, source, now);
  if (counts.stillFailing > 0) {
    await raiseClassificationAlert(env, source, {
      count: counts.stillFailing,
      sampleError: "lines still fail after reprocessing with the current schemas",
      receivedAt: now,
      since: job.cutoff,
    });
  }
}
