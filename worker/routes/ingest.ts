import { Hono, type Context } from "hono";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode } from "../errors";
import { logSources } from "../db/schema";
import { verifyIngestAuth, type IngestAuthConfig, type IngestAuthSecrets } from "../ingest/auth";
import { readRawBody } from "../ingest/decode";
import { ingestBatch, storageUnavailable } from "../ingest/pipeline";
import { assertContentLength, ingestLimitsFromEnv } from "../ingest/limits";
import { batchId, idempotencyKey, rememberAnswer, replayed, type IngestAnswer } from "../ingest/idempotency";
import { noteRefusal } from "../ingest/refusals";
import { monitorOf } from "../sources/lifecycle";

type SourceRow = typeof logSources.$inferSelect;

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
      throw storageUnavailable();
    });
    if (previous) {
      c.header("Idempotent-Replayed", "true");
      return c.json(previous);
    }
  }

  const totals = await ingestBatch(
    c.env,
    source,
    {
      bytes: raw.bytes,
      contentEncoding: c.req.header("content-encoding") ?? null,
      batchId: await batchId(source.id, key, raw.sha256),
      receivedAt,
      limits,
      logTypes: source.logTypes,
    },
    (work) => c.executionCtx.waitUntil(work),
  );
  const answer: IngestAnswer = { accepted: totals.accepted, classified: totals.classified, failed: totals.failed };
  if (key !== null) {
    await rememberAnswer(c.env.LAKE, source.id, key, answer, receivedAt.toISOString()).catch((err) => {
      // Everything is stored; a retry stores nothing twice and remembers the answer then.
      console.error(JSON.stringify({ level: "error", message: "ingest bookkeeping failed", sourceId: source.id, error: String(err) }));
      throw storageUnavailable();
    });
  }
  return c.json(answer);
});
