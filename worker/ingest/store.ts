import type { Classifier } from "../classify/classifier";
import { toStoredEventParts } from "./event-parts";
import { chunkStatements, type EventRow, type FailureRow } from "../lake/writer";
import type { DecodedRecord } from "./decode";
import { rowId } from "./idempotency";
import { ApiError, ErrorCode } from "../errors";

export interface StoreTarget {
  sourceId: string;
  sourceLabel: string;
  /** Prefix of every row id of this batch (see idempotency.ts). */
  batchId: string;
  /** The receive time: every row's p_parse_time. */
  receivedAt: string;
  /** The source's log types; a failure that tried none is counted under the first. */
  logTypes: string[];
}

export interface StoreTotals {
  accepted: number;
  classified: number;
  failed: number;
  bytes: number;
  eventsByLogType: Record<string, number>;
  failuresByLogType: Record<string, number>;
  /** The first failure's error, for the alert's message. */
  firstError: string | null;
}

/** Seconds a shipper should wait before sending a batch again when storage failed. */
export const STORAGE_RETRY_AFTER = "5";

function failureOf(target: StoreTarget, record: DecodedRecord, error: string, path: string | null, tried: FailureRow["schemasTried"]): FailureRow {
  return {
    rowId: rowId(target.batchId, record.index),
    sourceId: target.sourceId,
    sourceLabel: target.sourceLabel,
    parseTime: target.receivedAt,
    payload: record.text,
    payloadLength: record.tooLong ? record.tooLong.length : record.bytes,
    payloadSha256: record.tooLong ? record.tooLong.sha256 : null,
    error,
    errorPath: path,
    schemasTried: tried,
  };
}

/**
 * Classifies and stores decoded records chunk by chunk: each chunk is one LAKE.batch (atomic),
 * every line becomes exactly one event or one classification failure, and row ids come from the
 * batch id and the line's position, so a batch sent again stores nothing twice. A storage failure
 * is a 503 with Retry-After: the shipper sends the batch again and what was written stays once.
 */
export async function storeRecords(
  lake: D1Database,
  classifier: Classifier,
  target: StoreTarget,
  chunks: AsyncIterable<DecodedRecord[]>,
): Promise<StoreTotals> {
  const totals: StoreTotals = { accepted: 0, classified: 0, failed: 0, bytes: 0, eventsByLogType: {}, failuresByLogType: {}, firstError: null };
  const firstType = target.logTypes[0] ?? "unknown";
  for await (const records of chunks) {
    const events: EventRow[] = [];
    const failures: FailureRow[] = [];
    for (const record of records) {
      totals.accepted++;
      totals.bytes += record.bytes;
      let failure: FailureRow | null = null;
      if (record.tooLong) {
        failure = failureOf(target, record, `line is ${record.tooLong.length} bytes, over the per-line limit; its first 64 KB are kept with its length and SHA-256`, null, []);
      } else if (record.invalidUtf8) {
        failure = failureOf(target, record, "line is not valid UTF-8 (invalid bytes are shown as U+FFFD)", null, []);
      } else {
        const outcome = classifier.classify(record.text);
        if (outcome.ok) {
          events.push(toStoredEventParts(outcome.value, rowId(target.batchId, record.index), target));
          totals.eventsByLogType[outcome.value.logType] = (totals.eventsByLogType[outcome.value.logType] ?? 0) + 1;
        } else {
          failure = failureOf(target, record, outcome.failure.error, outcome.failure.path, outcome.failure.tried);
        }
      }
      if (failure) {
        failures.push(failure);
        // Attributed to the schema tried first: the source's most likely type.
        const type = failure.schemasTried[0]?.schema ?? firstType;
        totals.failuresByLogType[type] = (totals.failuresByLogType[type] ?? 0) + 1;
        totals.firstError ??= failure.error;
      }
    }
    try {
      await lake.batch(chunkStatements(lake, events, failures));
    } catch (err) {
      console.error(JSON.stringify({ level: "error", message: "lake write failed", sourceId: target.sourceId, error: String(err) }));
      throw new ApiError(ErrorCode.UNAVAILABLE, "Storage is unavailable; send the batch again (nothing already stored will be stored twice)", undefined, {
        "Retry-After": STORAGE_RETRY_AFTER,
      });
    }
    totals.classified += events.length;
    totals.failed += failures.length;
  }
  return totals;
}
