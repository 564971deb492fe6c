import { drizzle } from "drizzle-orm/d1";
import { reprocessingJobs } from "../db/schema";
import type { Actor } from "../auth/actor";
import { raiseSystemError, resolveAlert, type AlertRow, type RaiseResult } from "./system-errors";
import type { JobMessage } from "../jobs/messages";

/** Failures older than this are not reprocessed (they are left alone and counted). */
export const REPROCESS_WINDOW_DAYS = 15;
const DAY = 86_400_000;

export interface FailingSource {
  id: string;
  label: string;
  type: string;
}

export function classificationTitle(label: string): string {
  return `Logs from ${label} cannot be classified into its attached schemas`;
}

/**
 * Raised by the first failing line of a source, in the same request; later failing lines join
 * the open alert. `receivedAt` is the batch's receive time: the alert's failing lines are those
 * received from then on.
 */
export async function raiseClassificationAlert(
  env: Env,
  source: FailingSource,
  failed: { count: number; sampleError: string; receivedAt: Date; since?: string },
): Promise<RaiseResult> {
  return raiseSystemError(
    env,
    {
      type: "SOURCE_CLASSIFICATION_FAILURES",
      component: { kind: "LOG_SOURCE", id: source.id, label: source.label, sourceType: source.type },
      title: classificationTitle(source.label),
      message:
        `${failed.count} line${failed.count === 1 ? "" : "s"} from ${source.label} matched none of its schemas. ` +
        `First error: ${failed.sampleError}. Fix the schema (or the shipper), then resolve this alert with ` +
        `Reprocess to classify the failed lines of the last ${REPROCESS_WINDOW_DAYS} days again, or Skip to drop them.`,
      link: `#/sources/${source.id}/health`,
      context: { sourceId: source.id, sampleError: failed.sampleError, ...(failed.since ? { since: failed.since } : {}) },
      occurrences: failed.count,
    },
    { now: failed.receivedAt },
  );
}

/** Skip: the alert's failed lines are marked SKIPPED (never ingested). Chunked: D1 prefers ≤10k-row updates. */
async function skipFailures(env: Env, sourceId: string, upTo: string, now: string): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await env.LAKE.prepare(
      `UPDATE classification_failures SET status = 'SKIPPED', status_changed_at = ?3
       WHERE rowid IN (SELECT rowid FROM classification_failures WHERE p_source_id = ?1 AND status = 'FAILED' AND p_parse_time <= ?2 LIMIT 10000)`,
    )
      .bind(sourceId, upTo, now)
      .run();
    total += res.meta.changes;
    if (res.meta.changes < 10000) return total;
  }
}

/** Reprocess or Skip, the two ways to resolve a classification alert. */
export async function resolveClassificationAlert(
  env: Env,
  alert: AlertRow,
  choice: { reprocess: boolean; by: Actor; now?: Date },
): Promise<Record<string, unknown>> {
  const now = choice.now ?? new Date();
  const iso = now.toISOString();
  const sourceId = alert.sourceId as string;
  if (!choice.reprocess) {
    const skipped = await skipFailures(env, sourceId, iso, iso);
    await resolveAlert(env, alert, { by: choice.by, reason: `Skipped by ${choice.by.name}: ${skipped} failed line${skipped === 1 ? "" : "s"} will not be ingested`, now });
    return { skipped };
  }
  const cutoff = new Date(now.getTime() - REPROCESS_WINDOW_DAYS * DAY).toISOString();
  const tooOld = await env.LAKE.prepare(
    "SELECT count(*) AS n FROM classification_failures WHERE p_source_id = ? AND status = 'FAILED' AND p_parse_time < ?",
  )
    .bind(sourceId, cutoff)
    .first<{ n: number }>();
  const total = await env.LAKE.prepare(
    "SELECT count(*) AS n FROM classification_failures WHERE p_source_id = ? AND status = 'FAILED' AND p_parse_time >= ? AND p_parse_time <= ?",
  )
    .bind(sourceId, cutoff, iso)
    .first<{ n: number }>();
  const jobId = crypto.randomUUID();
  await drizzle(env.DB)
    .insert(reprocessingJobs)
    .values({ id: jobId, alertId: alert.id, sourceId, status: "RUNNING", cutoff, upTo: iso, total: total?.n ?? 0, tooOld: tooOld?.n ?? 0, createdAt: iso, createdBy: choice.by.name });
  await resolveAlert(env, alert, { by: choice.by, reason: `Reprocessing requested by ${choice.by.name} (job ${jobId})`, now });
  await env.JOBS.send({ kind: "reprocess", jobId, after: null } satisfies JobMessage);
  return { jobId, total: total?.n ?? 0, tooOld: tooOld?.n ?? 0 };
}
