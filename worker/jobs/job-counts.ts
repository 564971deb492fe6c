import type { reprocessingJobs } from "../db/schema";

type JobRow = typeof reprocessingJobs.$inferSelect;

/** Counts of a job read back from the lake, so a repeated chunk never counts twice. */
export async function jobCounts(env: Env, job: JobRow) {
  const row = await env.LAKE.prepare(
    `SELECT coalesce(sum(status = 'REPROCESSED'), 0) AS reclassified, coalesce(sum(status = 'FAILED'), 0) AS stillFailing
     FROM classification_failures WHERE job_id = ?`,
  )
    .bind(job.id)
    .first<{ reclassified: number; stillFailing: number }>();
  return { reclassified: row?.reclassified ?? 0, stillFailing: row?.stillFailing ?? 0, tooOld: job.tooOld, total: job.total };
}

