import { Hono, type Context } from "hono";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode } from "../errors";
import { logSources } from "../db/schema";
import { verifyIngestAuth, type IngestAuthConfig, type IngestAuthSecrets } from "../ingest/auth";
import { decodeBody, readRawBody, type LogStreamType } from "../ingest/decode";
import { assertContentLength, ingestLimitsFromEnv } from "../ingest/limits";
import { resolveBodyEncoding } from "../ingest/content-encoding";
import { verifyCompressed } from "../ingest/verify-compressed";
import { batchId, idempotencyKey, rememberAnswer, replayed, type IngestAnswer } from "../ingest/idempotency";
import { noteRefusal } from "../ingest/refusals";
import { STORAGE_RETRY_AFTER, storeRecords } from "../ingest/store";
import { loadClassifier } from "../sources/classifier";
import { monitorOf } from "../sources/lifecycle";
import { raiseClassificationAlert } from "../alerts/classification";

type SourceRow = typeof logSources.$inferSelect;

const unavailable = () =>
  new ApiError(ErrorCode.UNAVAILABLE, "Storage is unavailable; send the batch again", undefined, { "Retry-After": STORAGE_RETRY_AFTER });

/** Unknown, paused and non-HTTP sources answer the same 404, so ids cannot be probed. */
async function loadSource(c: Context<AppEnv>, id: string): Promise<SourceRow> {
  const row = await drizzle(c.env.DB).select().from(logSources).where(eq(logSources.id, id)).get();
  if (!row || row.type !== "http" || !row.enabled) {
    throw new ApiError(ErrorCode.NOT_FOUND, "No active HTTP log source at this URL (unknown, deleted or paused)");
  }
  return row;
}

function refuse(c: Context<AppEnv>, sourceId: string, why: string): never {
  const now = Date.now();
  const flush = noteRefusal(sourceId, now);
  if (flush > 0) c.executionCtx.waitUntil(monitorOf(c.env, sourceId).recordRefusals(flush, now).catch(() => {}));
  throw new ApiError(ErrorCode.UNAUTHORIZED, `Refused: ${why}`);
}

/**
 * POST /http/:sourceId — a shipper's batch. Read whole (≤ 10 MB as sent: HMAC and the batch
 * digest need it), authenticated, checked (compressed bodies decompress fully before anything is
 * stored), then classified and stored chunk by chunk. Answered only once all of it is stored.
 */
export const ingestRoutes = new Hono<AppEnv>().post("/:sourceId", async (c) => {
  const receivedAt = new Date();
  const source = await loadSource(c, c.req.param("sourceId"));
  const limits = ingestLimitsFromEnv(c.env);
  assertContentLength(c.req.header("content-length") ?? null, limits);
  const raw = await readRawBody(c.req.raw.body, limits.maxBodyBytes);

  const auth = await verifyIngestAuth(source.config as unknown as IngestAuthConfig, source.secrets as IngestAuthSecrets, c.req.raw.headers, raw.bytes);
  if (auth.status !== "ok") refuse(c, source.id, auth.status === "refused" ? auth.message : "the signature needs the body");

  const key = idempotencyKey(c.req.header("idempotency-key"));
  if (key !== null) {
    const previous = await replayed(c.env.LAKE, source.id, key).catch(() => {
      throw unavailable();
    });
    if (previous) {
      c.header("Idempotent-Replayed", "true");
      return c.json(previous);
    }
  }

  const contentEncoding = c.req.header("content-encoding") ?? null;
  const encoding = resolveBodyEncoding(contentEncoding, raw.bytes.subarray(0, 2));
  await verifyCompressed(raw.bytes, encoding, limits.maxDecompressedBytes);

  const classifier = await loadClassifier(c.env, source.logTypes);
  const decoded = decodeBody(raw.bytes, { contentEncoding, logStreamType: source.logStreamType as LogStreamType, limits });
  const totals = await storeRecords(
    c.env.LAKE,
    classifier,
    { sourceId: source.id, sourceLabel: source.label, batchId: await batchId(source.id, key, raw.sha256), receivedAt: receivedAt.toISOString(), logTypes: source.logTypes },
    decoded,
  );
  const answer: IngestAnswer = { accepted: totals.accepted, classified: totals.classified, failed: totals.failed };

  try {
    const seen = await monitorOf(c.env, source.id).recordBatch({
      receivedAt: receivedAt.getTime(),
      bytes: decoded.summary.decompressedBytes,
      eventsByLogType: totals.eventsByLogType,
      failuresByLogType: totals.failuresByLogType,
    });
    if (seen.writeBack) {
      c.executionCtx.waitUntil(
        drizzle(c.env.DB)
          .update(logSources)
          .set({ lastEventReceivedAt: seen.lastEventReceivedAt, lastEventProcessedAt: seen.lastEventProcessedAt })
          .where(eq(logSources.id, source.id))
          .then(() => {}),
      );
    }
    if (totals.failed > 0) {
      await raiseClassificationAlert(c.env, source, { count: totals.failed, sampleError: totals.firstError ?? "unknown", receivedAt });
    }
    if (key !== null) await rememberAnswer(c.env.LAKE, source.id, key, answer, receivedAt.toISOString());
  } catch (err) {
    // Everything is stored; a retry stores nothing twice and finishes the bookkeeping.
    console.error(JSON.stringify({ level: "error", message: "ingest bookkeeping failed", sourceId: source.id, error: String(err) }));
    throw unavailable();
  }
  return c.json(answer);
});
