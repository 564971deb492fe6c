import { decodeCursor, toPage } from "../lib/pagination";
import type { AlertRow } from "./system-errors";

export interface FailureView {
  rowId: string;
  receivedAt: string;
  payload: string;
  payloadLength: number;
  payloadSha256: string | null;
  truncated: boolean;
  error: string;
  errorPath: string | null;
  schemasTried: { schema: string; error: string }[];
  status: "FAILED" | "REPROCESSED" | "SKIPPED";
}

interface FailureRecord {
  p_row_id: string;
  p_parse_time: string;
  payload: string;
  payload_length: number;
  payload_sha256: string | null;
  error: string;
  error_path: string | null;
  schemas_tried: string;
  status: FailureView["status"];
}

export function presentFailure(r: FailureRecord): FailureView {
  return {
    rowId: r.p_row_id,
    receivedAt: r.p_parse_time,
    payload: r.payload,
    payloadLength: r.payload_length,
    payloadSha256: r.payload_sha256,
    truncated: r.payload_sha256 !== null,
    error: r.error,
    errorPath: r.error_path,
    schemasTried: JSON.parse(r.schemas_tried),
    status: r.status,
  };
}

/**
 * The failing lines of a classification alert: every failure of its source received since the
 * alert opened (its creation time is the receive time of the batch that opened it), until it
 * was resolved. Oldest first, so a person reads them in the order they came.
 */
export async function listAlertFailures(env: Env, alert: AlertRow, limit: number, cursor?: string) {
  const after = decodeCursor(cursor);
  // An alert raised by a reprocessing run names the window of the lines that still fail.
  const since = typeof alert.context.since === "string" ? alert.context.since : alert.createdAt;
  const until = alert.resolvedAt ?? "9999";
  const { results } = await env.LAKE.prepare(
    `SELECT p_row_id, p_parse_time, payload, payload_length, payload_sha256, error, error_path, schemas_tried, status
     FROM classification_failures
     WHERE p_source_id = ?1 AND p_parse_time >= ?2 AND p_parse_time <= ?3
       AND (?4 IS NULL OR p_parse_time > ?4 OR (p_parse_time = ?4 AND p_row_id > ?5))
     ORDER BY p_parse_time, p_row_id LIMIT ?6`,
  )
    .bind(alert.sourceId, since, until, after?.k ?? null, after?.id ?? null, limit + 1)
    .all<FailureRecord>();
  return toPage(results, limit, (r) => ({ k: r.p_parse_time, id: r.p_row_id }), presentFailure);
}
