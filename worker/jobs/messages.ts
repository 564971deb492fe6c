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
]);

export type JobMessage = z.infer<typeof jobMessage>;
