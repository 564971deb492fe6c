import { numberVar } from "../env";
import { REPROCESS_WINDOW_DAYS } from "../alerts/classification";
import { MAX_OBJECT_AGE_DAYS } from "../s3/poll";

const DAY = 86_400_000;
/** Deletes run in slices so no statement holds D1's single writer for long. */
const SLICE = 10_000;

async function deleteInSlices(lake: D1Database, table: string, column: string, before: string): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await lake
      .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ? LIMIT ${SLICE})`)
      .bind(before)
      .run();
    total += res.meta.changes;
    if (res.meta.changes < SLICE) return total;
  }
}

/**
 * Lake retention: events after LAKE_RETENTION_DAYS; classification failures never before the
 * 15 days in which they can be reprocessed; idempotency answers after 24 hours; data_audit rows
 * with the events; the S3 ledger's rows once their object is older than any listing reads (a day
 * of margin), so dropping them cannot make an object be read again.
 */
export async function applyRetention(env: Env, now: Date) {
  const days = Math.max(1, numberVar(env.LAKE_RETENTION_DAYS, 90));
  const eventsBefore = new Date(now.getTime() - days * DAY).toISOString();
  const failuresBefore = new Date(now.getTime() - Math.max(days, REPROCESS_WINDOW_DAYS + 1) * DAY).toISOString();
  const batchesBefore = new Date(now.getTime() - DAY).toISOString();
  return {
    events: await deleteInSlices(env.LAKE, "events", "p_parse_time", eventsBefore),
    classificationFailures: await deleteInSlices(env.LAKE, "classification_failures", "p_parse_time", failuresBefore),
    ingestBatches: await deleteInSlices(env.LAKE, "ingest_batches", "created_at", batchesBefore),
    dataAudit: await deleteInSlices(env.LAKE, "data_audit", "p_parse_time", eventsBefore),
    s3Objects: await deleteInSlices(env.LAKE, "s3_objects", "last_modified", new Date(now.getTime() - (MAX_OBJECT_AGE_DAYS + 1) * DAY).toISOString()),
  };
}
