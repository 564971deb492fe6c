import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { logSources } from "../db/schema";
import { ApiError, ErrorCode } from "../errors";
import type { S3ObjectMessage } from "../jobs/messages";
import { readRawBody } from "../ingest/decode";
import { ingestBatch } from "../ingest/pipeline";
import { describeBytes, ingestLimitsFromEnv } from "../ingest/limits";
import { s3Settings, type S3Settings } from "../sources/s3-source";
import { raiseProcessingErrors } from "../alerts/log-processing";
import { AwsError } from "./aws-error";
import { auditStatement, type ReadOutcome } from "./audit";
import { finishStatement, ledgerEntry, objectId, releaseClaim, type ObjectRef } from "./ledger";
import { routeKey } from "./routing";
import { clientForSource } from "./source-client";

/** A read that cannot succeed as things are: recorded as a FAILURE. */
class ReadFailure extends Error {
  constructor(
    readonly code: string,
    detail: string,
    /** Whether a later poll may read the object again (an access error may be fixed; corrupt data stays corrupt). */
    readonly retryable: boolean,
  ) {
    // Always "<code>: <what happened>", as AWS's errors read.
    super(detail.startsWith(`${code}: `) ? detail : `${code}: ${detail}`);
  }
}

/** The ingest path speaks of request bodies; here the body is an object. */
const asObject = (message: string) => message.replace(/^the (request )?body\b/, "the object");

/** Sorts an error into: try again soon (throws it back), record a failure, or nothing to record. */
function failureOf(err: unknown, final: boolean): ReadFailure | "changed" {
  if (err instanceof ReadFailure) return err;
  if (err instanceof AwsError) {
    if (err.code === "PreconditionFailed") return "changed";
    if (err.transient && !final) throw err;
    // The key is gone for good; anything else (denied, expired token, throttled) may pass.
    return new ReadFailure(err.code, err.raw, err.code !== "NoSuchKey");
  }
  if (err instanceof ApiError && err.code === ErrorCode.UNSUPPORTED_MEDIA_TYPE) return new ReadFailure("UndecodableObject", asObject(err.message), false);
  if (err instanceof ApiError && err.code === ErrorCode.PAYLOAD_TOO_LARGE) return new ReadFailure("ObjectTooLarge", asObject(err.message), false);
  if (!final) throw err;
  return new ReadFailure("InternalError", err instanceof Error ? err.message : String(err), true);
}

type SourceRow = typeof logSources.$inferSelect;

interface Read {
  row: SourceRow;
  settings: S3Settings;
  msg: S3ObjectMessage;
  ref: ObjectRef;
  /** The object's id: the batch id of its lines, and the stem of its data_audit rows. */
  id: string;
  logTypes: string[];
  now: Date;
  /** The role the read acts as (null with an access key). */
  assumedRoleArn: string | null;
}

/** Fetches the object and ingests it; throws what went wrong for failureOf to sort. */
async function fetchAndIngest(env: Env, read: Read): Promise<ReadOutcome> {
  const limits = ingestLimitsFromEnv(env);
  if (read.msg.size > limits.maxBodyBytes) {
    throw new ReadFailure("ObjectTooLarge", `the object is ${describeBytes(read.msg.size)}, over the limit of ${describeBytes(limits.maxBodyBytes)} per object (INGEST_MAX_BODY_BYTES)`, false);
  }
  const source = await clientForSource(env, read.row.id, read.settings);
  const res = await source.client.getObject(read.msg.key, read.msg.etag);
  const raw = await readRawBody(res.body, limits.maxBodyBytes);
  // No contentEncoding: an object stored with Content-Encoding: gzip arrives decoded by fetch; gzip is told by its magic bytes.
  const totals = await ingestBatch(env, read.row, { bytes: raw.bytes, contentEncoding: null, batchId: read.id, receivedAt: read.now, limits, logTypes: read.logTypes });
  return { status: "SUCCESS", recordCount: totals.accepted, classifiedCount: totals.classified, failedCount: totals.failed, bytesProcessed: totals.decompressedBytes };
}

/** The read's data_audit row and the ledger's new state, together. */
async function record(env: Env, read: Read, readNumber: number, outcome: ReadOutcome, retryable = false) {
  const { row, msg, ref, now } = read;
  await env.LAKE.batch([
    auditStatement(env.LAKE, { rowId: `${read.id}-${readNumber}`, ref, sourceLabel: row.label, size: msg.size, lastModified: msg.lastModified || null, assumedRoleArn: read.assumedRoleArn, at: now, outcome }),
    finishStatement(env.LAKE, ref, outcome.status === "SUCCESS" ? { ok: true } : { ok: false, retryable }, now),
  ]);
}

/**
 * Reads one object version and ingests its lines through the same path as shippers' batches,
 * with row ids from the object's id: a message delivered twice stores nothing twice. Each read
 * that ends records a data_audit row; a failed one raises SOURCE_LOG_PROCESSING_ERRORS.
 * Transient trouble (S3 5xx, throttling, storage) is thrown back for the queue to retry until
 * `final`, the last attempt, after which it is recorded as a failure too.
 */
export async function readObject(env: Env, msg: S3ObjectMessage, opts: { final: boolean }, now = new Date()): Promise<void> {
  const row = await drizzle(env.DB).select().from(logSources).where(eq(logSources.id, msg.sourceId)).get();
  if (!row || row.type !== "s3") return;
  const ref: ObjectRef = { sourceId: row.id, bucket: msg.bucket, key: msg.key, etag: msg.etag };
  const settings = s3Settings(row);
  const route = routeKey(settings.routes, msg.key);
  // Paused, or no longer wanted: released, so it is listed and queued again if it becomes wanted.
  if (!row.enabled || !route) return releaseClaim(env.LAKE, ref);
  const entry = await ledgerEntry(env.LAKE, ref);
  if (entry?.state === "DONE") return;

  const roleArn = settings.credentials.kind === "role" ? settings.credentials.roleArn : null;
  const read: Read = { row, settings, msg, ref, id: await objectId(ref), logTypes: route.logTypes, now, assumedRoleArn: roleArn };
  const readNumber = entry?.failures ?? 0;
  try {
    await record(env, read, readNumber, await fetchAndIngest(env, read));
  } catch (err) {
    const failure = failureOf(err, opts.final);
    // Overwritten since it was listed: the new version has another ETag and is read on its own.
    if (failure === "changed") return releaseClaim(env.LAKE, ref);
    await record(env, read, readNumber, { status: "FAILURE", errorCode: failure.code, error: failure.message }, failure.retryable);
    await raiseProcessingErrors(env, row, now);
  }
}

/** A read the JOBS queue gave up on (dead-lettered): recorded as a failed read that a later poll may retry. */
export async function abandonRead(env: Env, msg: S3ObjectMessage, now = new Date()): Promise<void> {
  const row = await drizzle(env.DB).select().from(logSources).where(eq(logSources.id, msg.sourceId)).get();
  if (!row || row.type !== "s3") return;
  const ref: ObjectRef = { sourceId: row.id, bucket: msg.bucket, key: msg.key, etag: msg.etag };
  const entry = await ledgerEntry(env.LAKE, ref);
  if (entry?.state !== "QUEUED") return;
  const read: Read = { row, settings: s3Settings(row), msg, ref, id: await objectId(ref), logTypes: [], now, assumedRoleArn: null };
  const failure = new ReadFailure("ReadAbandoned", "the read was given up after every retry of its queue message; a later poll reads the object again", true);
  await record(env, read, entry.failures, { status: "FAILURE", errorCode: failure.code, error: failure.message }, true);
  await raiseProcessingErrors(env, row, now);
}
