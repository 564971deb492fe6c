import type { ObjectRef } from "./ledger";

/** What one read of an object came to, for its data_audit row. */
export type ReadOutcome =
  | { status: "SUCCESS"; recordCount: number; classifiedCount: number; failedCount: number; bytesProcessed: number }
  | { status: "FAILURE"; errorCode: string; error: string };

export interface AuditEntry {
  rowId: string;
  ref: ObjectRef;
  sourceLabel: string;
  size: number;
  lastModified: string | null;
  assumedRoleArn: string | null;
  at: Date;
  outcome: ReadOutcome;
}

/** The data_audit row of a read; a read recorded twice (a re-delivered message) is kept once. */
export function auditStatement(lake: D1Database, e: AuditEntry): D1PreparedStatement {
  const ok = e.outcome.status === "SUCCESS" ? e.outcome : null;
  const failed = e.outcome.status === "FAILURE" ? e.outcome : null;
  return lake
    .prepare(
      `INSERT INTO data_audit (p_row_id, p_source_id, p_source_label, p_parse_time, operation, status, error_code, error,
         s3_bucket, s3_key, s3_etag, s3_object_size, s3_last_modified, record_count, classified_count, failed_count, bytes_processed, assumed_role_arn)
       VALUES (?1, ?2, ?3, ?4, 'GetObject', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
       ON CONFLICT (p_row_id) DO NOTHING`,
    )
    .bind(
      e.rowId,
      e.ref.sourceId,
      e.sourceLabel,
      e.at.toISOString(),
      e.outcome.status,
      failed?.errorCode ?? null,
      failed?.error ?? null,
      e.ref.bucket,
      e.ref.key,
      e.ref.etag,
      e.size,
      e.lastModified,
      ok?.recordCount ?? 0,
      ok?.classifiedCount ?? 0,
      ok?.failedCount ?? 0,
      ok?.bytesProcessed ?? 0,
      e.assumedRoleArn,
    );
}

export interface AuditRecord {
  p_row_id: string;
  p_source_id: string;
  p_source_label: string;
  p_parse_time: string;
  operation: string;
  status: "SUCCESS" | "FAILURE";
  error_code: string | null;
  error: string | null;
  s3_bucket: string;
  s3_key: string;
  s3_etag: string;
  s3_object_size: number;
  s3_last_modified: string | null;
  record_count: number;
  classified_count: number;
  failed_count: number;
  bytes_processed: number;
  assumed_role_arn: string | null;
}

/** A data_audit row as the API lists it: the p_ fields as stored, the rest in camelCase. */
export function presentAudit(r: AuditRecord) {
  return {
    p_row_id: r.p_row_id,
    p_source_id: r.p_source_id,
    p_source_label: r.p_source_label,
    p_parse_time: r.p_parse_time,
    operation: r.operation,
    status: r.status,
    errorCode: r.error_code,
    error: r.error,
    s3Bucket: r.s3_bucket,
    s3Key: r.s3_key,
    s3ETag: r.s3_etag,
    s3ObjectSize: r.s3_object_size,
    s3LastModified: r.s3_last_modified,
    recordCount: r.record_count,
    classifiedCount: r.classified_count,
    failedCount: r.failed_count,
    bytesProcessed: r.bytes_processed,
    assumedRoleArn: r.assumed_role_arn,
  };
}

export interface FailedRead {
  bucket: string;
  key: string;
  errorCode: string;
  error: string;
  at: string;
}

/** The objects of a source whose last failed read is since `since`, newest first, at most `limit`, with the total. */
export async function failedReadsSince(lake: D1Database, sourceId: string, since: string, limit: number): Promise<{ objects: FailedRead[]; total: number }> {
  const [list, count] = await lake.batch<Record<string, unknown>>([
    lake
      .prepare(
        `SELECT s3_bucket AS bucket, s3_key AS key, error_code AS errorCode, error, max(p_parse_time) AS at
         FROM data_audit WHERE p_source_id = ?1 AND status = 'FAILURE' AND p_parse_time >= ?2
         GROUP BY s3_bucket, s3_key ORDER BY at DESC LIMIT ?3`,
      )
      .bind(sourceId, since, limit),
    lake
      .prepare("SELECT count(DISTINCT s3_bucket || '/' || s3_key) AS n FROM data_audit WHERE p_source_id = ?1 AND status = 'FAILURE' AND p_parse_time >= ?2")
      .bind(sourceId, since),
  ]);
  return { objects: list.results as unknown as FailedRead[], total: Number((count.results[0] as { n: number } | undefined)?.n ?? 0) };
}
