import { sha256Hex } from "../auth/tokens";
import type { ListedObject } from "./xml";

/** One version of one object of a source. */
export interface ObjectRef {
  sourceId: string;
  bucket: string;
  key: string;
  etag: string;
}

/**
 * A claim still QUEUED after this long lost its message (a queue gives up on a message after
 * its retries, and the dead-letter consumer records that): the object is queued again.
 */
export const STALE_CLAIM_MS = 60 * 60_000;
/** A FAILED object whose error may pass (access denied, throttling) is read again after an hour, three times at most. */
export const RETRY_FAILED_AFTER_MS = 60 * 60_000;
export const MAX_FAILED_READS = 3;
/** Objects claimed per statement: keys are up to 1 KB, and one JSON parameter must stay under D1's 2 MB. */
const CLAIM_CHUNK = 500;

/**
 * The object's id: every row stored from it starts with it (its lines' p_row_id, its data_audit
 * rows), so a message delivered twice, or an object read again after a failure, stores each line once.
 */
export async function objectId(ref: ObjectRef): Promise<string> {
  return (await sha256Hex(`${ref.sourceId}\ns3:${ref.bucket}\n${ref.key}\n${ref.etag}`)).slice(0, 24);
}

/**
 * Claims listed objects: answers those to queue now. New object versions are inserted as QUEUED;
 * known ones are claimed again only when their claim went stale, or they failed in a way that may
 * pass and enough time went by. One upsert per chunk, so two polls never queue an object twice.
 */
export async function claimObjects(lake: D1Database, sourceId: string, bucket: string, objects: ListedObject[], now: Date): Promise<ListedObject[]> {
  const claimed: ListedObject[] = [];
  const stale = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
  const retryBefore = new Date(now.getTime() - RETRY_FAILED_AFTER_MS).toISOString();
  for (let i = 0; i < objects.length; i += CLAIM_CHUNK) {
    const chunk = objects.slice(i, i + CLAIM_CHUNK).map((o) => [o.key, o.etag, o.size, o.lastModified]);
    const { results } = await lake
      .prepare(
        `INSERT INTO s3_objects (source_id, bucket, key, etag, size, last_modified, state, failures, retryable, queued_at)
         SELECT ?1, ?2, value->>0, value->>1, value->>2, value->>3, 'QUEUED', 0, 0, ?3 FROM json_each(?4) WHERE true
         ON CONFLICT (source_id, bucket, key, etag) DO UPDATE SET state = 'QUEUED', queued_at = excluded.queued_at
         WHERE (s3_objects.state = 'QUEUED' AND s3_objects.queued_at < ?5)
            OR (s3_objects.state = 'FAILED' AND s3_objects.retryable = 1 AND s3_objects.failures < ?6 AND s3_objects.finished_at < ?7)
         RETURNING key, etag, size, last_modified`,
      )
      .bind(sourceId, bucket, now.toISOString(), JSON.stringify(chunk), stale, MAX_FAILED_READS, retryBefore)
      .all<{ key: string; etag: string; size: number; last_modified: string }>();
    for (const r of results) claimed.push({ key: r.key, etag: r.etag, size: r.size, lastModified: r.last_modified });
  }
  return claimed;
}

export interface LedgerEntry {
  state: "QUEUED" | "DONE" | "FAILED";
  failures: number;
}

export async function ledgerEntry(lake: D1Database, ref: ObjectRef): Promise<LedgerEntry | null> {
  return lake
    .prepare("SELECT state, failures FROM s3_objects WHERE source_id = ? AND bucket = ? AND key = ? AND etag = ?")
    .bind(ref.sourceId, ref.bucket, ref.key, ref.etag)
    .first<LedgerEntry>();
}

/** The ledger's side of a finished read, to run in the same batch as its data_audit row. */
export function finishStatement(lake: D1Database, ref: ObjectRef, outcome: { ok: true } | { ok: false; retryable: boolean }, now: Date) {
  return outcome.ok
    ? lake
        .prepare("UPDATE s3_objects SET state = 'DONE', finished_at = ?5 WHERE source_id = ?1 AND bucket = ?2 AND key = ?3 AND etag = ?4")
        .bind(ref.sourceId, ref.bucket, ref.key, ref.etag, now.toISOString())
    : lake
        .prepare(
          `UPDATE s3_objects SET state = 'FAILED', failures = failures + 1, retryable = ?6, finished_at = ?5
           WHERE source_id = ?1 AND bucket = ?2 AND key = ?3 AND etag = ?4 AND state <> 'DONE'`,
        )
        .bind(ref.sourceId, ref.bucket, ref.key, ref.etag, now.toISOString(), outcome.retryable ? 1 : 0);
}

/** Lets an object be listed and queued afresh (its source was paused, or it changed under its key). */
export async function releaseClaim(lake: D1Database, ref: ObjectRef): Promise<void> {
  await lake
    .prepare("DELETE FROM s3_objects WHERE source_id = ? AND bucket = ? AND key = ? AND etag = ? AND state = 'QUEUED'")
    .bind(ref.sourceId, ref.bucket, ref.key, ref.etag)
    .run();
}

export async function listingToken(lake: D1Database, sourceId: string, prefix: string): Promise<string | null> {
  const row = await lake
    .prepare("SELECT continuation_token FROM s3_listings WHERE source_id = ? AND prefix = ?")
    .bind(sourceId, prefix)
    .first<{ continuation_token: string | null }>();
  return row?.continuation_token ?? null;
}

export async function saveListingToken(lake: D1Database, sourceId: string, prefix: string, token: string | null, now: Date): Promise<void> {
  await lake
    .prepare(
      `INSERT INTO s3_listings (source_id, prefix, continuation_token, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (source_id, prefix) DO UPDATE SET continuation_token = excluded.continuation_token, updated_at = excluded.updated_at`,
    )
    .bind(sourceId, prefix, token, now.toISOString())
    .run();
}

/** A deleted source's sweep positions. Its ledger rows age out with retention (see lake/retention.ts). */
export async function forgetListings(env: Env, sourceId: string): Promise<void> {
  await env.LAKE.prepare("DELETE FROM s3_listings WHERE source_id = ?").bind(sourceId).run();
}
