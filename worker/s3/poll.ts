import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { logSources } from "../db/schema";
import type { JobMessage, S3ObjectMessage } from "../jobs/messages";
import { s3Settings } from "../sources/s3-source";
import { AwsError } from "./aws-error";
import { claimObjects, listingToken, saveListingToken } from "./ledger";
import { isFolderKey, listingPrefixes, routeKey } from "./routing";
import { clientForSource } from "./source-client";
import type { ListedObject } from "./xml";

type SourceRow = typeof logSources.$inferSelect;

/**
 * Objects last modified longer ago than this are not read: a new source does not ingest years of
 * a bucket's history, and ledger rows can go once their object is this old (lake/retention.ts).
 */
export const MAX_OBJECT_AGE_DAYS = 14;
/** Pages (of up to 1000 keys) listed per prefix and poll; a longer listing goes on at the next poll. */
export const MAX_PAGES_PER_POLL = 10;
/** Queues take at most 100 messages and 256 KB per sendBatch; a message holds a key of up to 1 KB. */
const SEND_CHUNK = 50;

export type SendJobs = (messages: JobMessage[]) => Promise<void>;

export const sendJobs =
  (env: Env): SendJobs =>
  async (messages) => {
    for (let i = 0; i < messages.length; i += SEND_CHUNK) {
      await env.JOBS.sendBatch(messages.slice(i, i + SEND_CHUNK).map((body) => ({ body })));
    }
  };

/** The cron's share: one s3-poll message per enabled S3 source, so listing fans out through JOBS. */
export async function enqueuePolls(env: Env, send: SendJobs = sendJobs(env)): Promise<number> {
  const rows = await drizzle(env.DB)
    .select({ id: logSources.id })
    .from(logSources)
    .where(and(eq(logSources.type, "s3"), eq(logSources.enabled, true)));
  await send(rows.map((r) => ({ kind: "s3-poll", sourceId: r.id })));
  return rows.length;
}

export interface PollResult {
  listed: number;
  queued: number;
  /** Why the poll stopped early (the listing failed); the health checks say more. */
  error?: string;
}

/** Whether a listed object is worth reading: not a folder, not empty, routed, not too old. */
function wanted(o: ListedObject, routes: ReturnType<typeof s3Settings>["routes"], oldest: number): boolean {
  if (isFolderKey(o.key) || o.size === 0 || !routeKey(routes, o.key)) return false;
  const modified = Date.parse(o.lastModified);
  return Number.isNaN(modified) || modified >= oldest;
}

/**
 * Lists a source's prefixes and queues one s3-object message per object version not read yet.
 * What is new is decided by the ledger (s3_objects), never by where a listing stopped: keys
 * need not arrive in order, and a listing that is too long for one poll goes on at the next one.
 */
export interface PollOptions {
  now?: Date;
  send?: SendJobs;
  /** Keys per ListObjectsV2 page (S3's maximum, 1000, unless a test wants to see pages turn). */
  pageSize?: number;
  maxPages?: number;
}

export async function pollSource(env: Env, row: SourceRow, opts: PollOptions = {}): Promise<PollResult> {
  const { now = new Date(), send = sendJobs(env), pageSize = 1000, maxPages = MAX_PAGES_PER_POLL } = opts;
  const settings = s3Settings(row);
  const { bucket } = settings.location;
  const oldest = now.getTime() - MAX_OBJECT_AGE_DAYS * 86_400_000;
  const result: PollResult = { listed: 0, queued: 0 };
  try {
    const { client } = await clientForSource(env, row.id, settings);
    for (const prefix of listingPrefixes(settings.routes)) {
      const saved = await listingToken(env.LAKE, row.id, prefix);
      let token = saved;
      for (let page = 0; page < maxPages; page++) {
        let listed;
        try {
          listed = await client.listObjects(prefix, { continuationToken: token, maxKeys: pageSize });
        } catch (err) {
          // A saved token the bucket no longer accepts: the next poll sweeps from the start.
          if (token) await saveListingToken(env.LAKE, row.id, prefix, null, now);
          throw err;
        }
        result.listed += listed.objects.length;
        const claimed = await claimObjects(env.LAKE, row.id, bucket, listed.objects.filter((o) => wanted(o, settings.routes, oldest)), now);
        await send(claimed.map((o): S3ObjectMessage => ({ kind: "s3-object", sourceId: row.id, bucket, key: o.key, etag: o.etag, size: o.size, lastModified: o.lastModified })));
        result.queued += claimed.length;
        token = listed.nextContinuationToken;
        if (!token) break;
      }
      if (token !== saved) await saveListingToken(env.LAKE, row.id, prefix, token, now);
    }
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    result.error = err.raw;
    console.warn(JSON.stringify({ level: "warn", message: "S3 poll failed", sourceId: row.id, error: err.raw }));
  }
  return result;
}
