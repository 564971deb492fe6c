import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { reprocessingJobs } from "../db/schema";
import { jobCounts } from "../jobs/job-counts";

/** Progress of a Reprocess: counts are read live from the lake while the job runs. */
export const reprocessingJobRoutes = new Hono<AppEnv>().get("/:id", async (c) => {
  const id = c.req.param("id");
  const job = await drizzle(c.env.DB).select().from(reprocessingJobs).where(eq(reprocessingJobs.id, id)).get();
  if (!job) throw notFound("Reprocessing job", id);
  const counts = job.status === "RUNNING" ? await jobCounts(c.env, job) : { reclassified: job.reclassified, stillFailing: job.stillFailing, tooOld: job.tooOld, total: job.total };
  return c.json({
    id: job.id,
    alertId: job.alertId,
    sourceId: job.sourceId,
    status: job.status,
    ...counts,
    createdAt: job.createdAt,
    createdBy: job.createdBy,
    finishedAt: job.finishedAt,
  });
});
