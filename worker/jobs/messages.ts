import { z } from "zod";

/**
 * Messages of the JOBS queue: chunks of longer work. Each chunk is idempotent, so a re-delivered
 * message repeats its chunk without storing anything twice.
 */
export const jobMessage = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("reprocess"),
    jobId: z.string(),
    /** p_row_id of the last failure handled by the previous chunk; null for the first chunk. */
    after: z.string().nullable(),
  }),
  /** List a source's bucket and queue what is new (the cron sends one per S3 source). */
  z.object({ kind: z.literal("s3-poll"), sourceId: z.string() }),
  /** Read one object version and ingest its lines (the poller sends one per new object). */
  z.object({
    kind: z.literal("s3-object"),
    sourceId: z.string(),
    bucket: z.string(),
    key: z.string(),
    etag: z.string(),
    /** As listed; -1 when unknown. */
    size: z.number(),
    lastModified: z.string(),
  }),
]);

export type JobMessage = z.infer<typeof jobMessage>;
export type S3ObjectMessage = Extract<JobMessage, { kind: "s3-object" }>;
