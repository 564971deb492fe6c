import { sha256Hex } from "../auth/tokens";
import { ApiError, ErrorCode } from "../errors";

export interface IngestAnswer {
  accepted: number;
  classified: number;
  failed: number;
}

/** Idempotency-Key: printable ASCII, as Stripe and the IETF draft use; long enough for a UUID or a hash. */
const KEY = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKey(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!KEY.test(header)) {
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The Idempotency-Key header must be 1 to 255 printable ASCII characters", [
      { path: "Idempotency-Key", message: "1 to 255 printable ASCII characters" },
    ]);
  }
  return header;
}

/**
 * The batch id that every row id of the batch starts with: from the Idempotency-Key when sent,
 * else from the body's digest, so a batch sent again maps onto the same rows.
 */
export async function batchId(sourceId: string, key: string | null, bodySha256: string): Promise<string> {
  return (await sha256Hex(`${sourceId}\n${key !== null ? `key:${key}` : `sha256:${bodySha256}`}`)).slice(0, 24);
}

/** Row id of the line at `index`: the batch id and the position, fixed-width so ids sort by position. */
export function rowId(batch: string, index: number): string {
  return `${batch}${index.toString(36).padStart(5, "0")}`;
}

export async function replayed(lake: D1Database, sourceId: string, key: string): Promise<IngestAnswer | null> {
  const row = await lake
    .prepare("SELECT answer FROM ingest_batches WHERE source_id = ? AND idempotency_key = ? AND created_at >= ?")
    .bind(sourceId, key, new Date(Date.now() - 86_400_000).toISOString())
    .first<{ answer: string }>();
  return row ? (JSON.parse(row.answer) as IngestAnswer) : null;
}

export function rememberAnswer(lake: D1Database, sourceId: string, key: string, answer: IngestAnswer, at: string) {
  return lake
    .prepare(
      "INSERT INTO ingest_batches (source_id, idempotency_key, answer, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (source_id, idempotency_key) DO UPDATE SET answer = excluded.answer, created_at = excluded.created_at",
    )
    .bind(sourceId, key, JSON.stringify(answer), at)
    .run();
}
