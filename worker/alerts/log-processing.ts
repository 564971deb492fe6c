import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alerts } from "../db/schema";
import { SYSTEM_ACTOR } from "../auth/actor";
import { failedReadsSince } from "../s3/audit";
import { OPEN_STATUSES } from "./policy";
import { raiseSystemError, resolveAlert, type RaiseResult } from "./system-errors";

/** SOURCE_LOG_PROCESSING_ERRORS stays open while an object of the source failed in this window. */
export const PROCESSING_ERROR_WINDOW_MS = 24 * 3600_000;
/** Objects named in the alert's context; the count covers them all. */
const LISTED_OBJECTS = 20;
/** Objects spelled out in the message. */
const NAMED_OBJECTS = 5;

export interface ReadingSource {
  id: string;
  label: string;
  type: string;
}

/**
 * Raised (or refreshed) after a failed read: one open alert per source, whose message and context
 * list the objects that failed in the last 24 hours with their errors.
 */
export async function raiseProcessingErrors(env: Env, source: ReadingSource, now: Date): Promise<RaiseResult> {
  const since = new Date(now.getTime() - PROCESSING_ERROR_WINDOW_MS).toISOString();
  const { objects, total } = await failedReadsSince(env.LAKE, source.id, since, LISTED_OBJECTS);
  const named = objects.slice(0, NAMED_OBJECTS).map((o) => `s3://${o.bucket}/${o.key} (${o.error})`);
  const more = total > named.length ? `; and ${total - named.length} more` : "";
  return raiseSystemError(
    env,
    {
      type: "SOURCE_LOG_PROCESSING_ERRORS",
      component: { kind: "LOG_SOURCE", id: source.id, label: source.label, sourceType: source.type },
      title: `Objects of ${source.label} could not be read from S3`,
      message:
        `${total} S3 object${total === 1 ? "" : "s"} of ${source.label} could not be read in the last 24 hours: ${named.join("; ")}${more}. ` +
        "Check that Pipewatch may read them (s3:GetObject, and kms:Decrypt for encrypted buckets) and that they are what the source expects " +
        "(gzip or text logs). The failed reads are listed under data_audit; this alert resolves itself after 24 hours without a failed read.",
      link: `#/sources/${source.id}/health`,
      context: { sourceId: source.id, failingObjects: objects, failingObjectCount: total, since },
    },
    { now, refreshDescription: true },
  );
}

/** The cron's pass: resolves each open alert whose source had no failed read in the last 24 hours. */
export async function resolveQuietProcessingErrors(env: Env, now: Date): Promise<number> {
  const open = await drizzle(env.DB)
    .select()
    .from(alerts)
    .where(and(eq(alerts.systemErrorType, "SOURCE_LOG_PROCESSING_ERRORS"), inArray(alerts.status, [...OPEN_STATUSES])));
  const since = new Date(now.getTime() - PROCESSING_ERROR_WINDOW_MS).toISOString();
  let resolved = 0;
  for (const alert of open) {
    const failed = await env.LAKE.prepare("SELECT 1 FROM data_audit WHERE p_source_id = ? AND status = 'FAILURE' AND p_parse_time >= ? LIMIT 1")
      .bind(alert.sourceId, since)
      .first();
    if (failed) continue;
    const done = await resolveAlert(env, alert, { by: SYSTEM_ACTOR, reason: `No S3 object of ${alert.componentLabel ?? "the source"} failed to read in the last 24 hours`, now });
    if (done) resolved++;
  }
  return resolved;
}
