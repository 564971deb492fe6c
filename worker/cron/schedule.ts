import { checkAllSources } from "../sources/health-runner";
import { mirrorAuditTrail } from "../lake/audit-mirror";
import { applyRetention } from "../lake/retention";
import { enqueuePolls } from "../s3/poll";
import { resolveQuietProcessingErrors } from "../alerts/log-processing";

/** Every declared cron (wrangler.toml [triggers]) and what it runs. */
export const CRONS = {
  EVERY_MINUTE: "* * * * *",
  DAILY: "30 3 * * *",
} as const;

type Job = (env: Env, now: Date) => Promise<unknown>;

const jobs: Record<string, Job[]> = {
  [CRONS.EVERY_MINUTE]: [
    (env, now) => checkAllSources(env, now),
    (env) => mirrorAuditTrail(env),
    // S3 buckets are listed and read through JOBS, so the cron itself only sends one message per source.
    (env) => enqueuePolls(env),
    (env, now) => resolveQuietProcessingErrors(env, now),
  ],
  [CRONS.DAILY]: [(env, now) => applyRetention(env, now)],
};

/**
 * The scheduled handler: dispatches on the cron expression. Each job runs on its own, so one
 * failing job does not stop the others; failures are logged and retried on the next tick.
 */
export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = new Date(controller.scheduledTime);
  const list = jobs[controller.cron];
  if (!list) {
    console.warn(JSON.stringify({ level: "warn", message: `no job for cron '${controller.cron}'` }));
    return;
  }
  const results = await Promise.allSettled(list.map((job) => job(env, now)));
  for (const r of results) {
    if (r.status === "rejected") console.error(JSON.stringify({ level: "error", cron: controller.cron, message: String(r.reason) }));
  }
}
