import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError, ErrorCode } from "../errors";
import { logSources } from "../db/schema";
import { decodeBody, type LogStreamType } from "./decode";
import { resolveBodyEncoding } from "./content-encoding";
import { verifyCompressed } from "./verify-compressed";
import { STORAGE_RETRY_AFTER, storeRecords, type StoreTotals } from "./store";
import type { IngestLimits } from "./limits";
import { loadClassifier } from "../sources/classifier";
import { monitorOf } from "../sources/lifecycle";
import { raiseClassificationAlert } from "../alerts/classification";

type SourceRow = typeof logSources.$inferSelect;

export const storageUnavailable = () =>
  new ApiError(ErrorCode.UNAVAILABLE, "Storage is unavailable; send the batch again", undefined, { "Retry-After": STORAGE_RETRY_AFTER });

export interface Batch {
  /** The batch as received: a request body, or an S3 object. */
  bytes: Uint8Array;
  /** As announced (a request's Content-Encoding); the gzip magic bytes win either way. */
  contentEncoding: string | null;
  /** Prefix of every row id of the batch, so a batch stored again stores nothing twice. */
  batchId: string;
  receivedAt: Date;
  limits: IngestLimits;
  /** The schemas to try, in order (an S3 object's come from its prefix). */
  logTypes: string[];
}

export interface BatchResult extends StoreTotals {
  decompressedBytes: number;
}

/**
 * The one path from received bytes to the lake, for shippers' batches and S3 objects alike:
 * a compressed batch is first decompressed whole (415 corrupt, 413 too large: nothing stored),
 * then classified and stored chunk by chunk, then counted by the source's monitor, and a
 * classification System Error raised when lines failed. A storage or bookkeeping failure is a 503
 * (ApiError UNAVAILABLE): the caller tries the batch again, and nothing is stored twice.
 * `waitUntil` defers writing lastEventReceivedAt back to the source row past the answer.
 */
export async function ingestBatch(env: Env, source: SourceRow, batch: Batch, waitUntil?: (work: Promise<unknown>) => void): Promise<BatchResult> {
  const encoding = resolveBodyEncoding(batch.contentEncoding, batch.bytes.subarray(0, 2));
  await verifyCompressed(batch.bytes, encoding, batch.limits.maxDecompressedBytes);

  const classifier = await loadClassifier(env, batch.logTypes);
  const decoded = decodeBody(batch.bytes, { contentEncoding: batch.contentEncoding, logStreamType: source.logStreamType as LogStreamType, limits: batch.limits });
  const totals = await storeRecords(
    env.LAKE,
    classifier,
    { sourceId: source.id, sourceLabel: source.label, batchId: batch.batchId, receivedAt: batch.receivedAt.toISOString(), logTypes: batch.logTypes },
    decoded,
  );
  const decompressedBytes = decoded.summary.decompressedBytes;

  try {
    const seen = await monitorOf(env, source.id).recordBatch({
      receivedAt: batch.receivedAt.getTime(),
      bytes: decompressedBytes,
      eventsByLogType: totals.eventsByLogType,
      failuresByLogType: totals.failuresByLogType,
    });
    if (seen.writeBack) {
      const write = drizzle(env.DB)
        .update(logSources)
        .set({ lastEventReceivedAt: seen.lastEventReceivedAt, lastEventProcessedAt: seen.lastEventProcessedAt })
        .where(eq(logSources.id, source.id))
        .then(() => {});
      if (waitUntil) waitUntil(write);
      else await write;
    }
    if (totals.failed > 0) {
      await raiseClassificationAlert(env, source, { count: totals.failed, sampleError: totals.firstError ?? "unknown", receivedAt: batch.receivedAt });
    }
  } catch (err) {
    // Everything is stored; a retry stores nothing twice and finishes the bookkeeping.
    console.error(JSON.stringify({ level: "error", message: "ingest bookkeeping failed", sourceId: source.id, error: String(err) }));
    throw storageUnavailable();
  }
  return { ...totals, decompressedBytes };
}
