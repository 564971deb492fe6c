import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { logSources } from "../db/schema";
import { jobMessage, type JobMessage } from "./messages";
import { runReprocessChunk } from "./reprocess";
import { pollSource } from "../s3/poll";
import { abandonRead, readObject } from "../s3/read-object";

/** Backoff for a failed chunk: 10 s, 20 s, 40 s... capped at 5 minutes. */
const retryDelay = (attempts: number) => Math.min(300, 10 * 2 ** Math.max(0, attempts - 1));

/**
 * An S3 read whose trouble is transient is retried this many times (10, 20, 40 s), then recorded
 * as a failed read on its last attempt, well before the queue's max_retries would dead-letter it.
 */
export const S3_READ_ATTEMPTS = 4;

/** One message's work; throws to have it retried. */
async function runJob(job: JobMessage, attempts: number, env: Env): Promise<void> {
  switch (job.kind) {
    case "reprocess": {
      const next = await runReprocessChunk(env, job.jobId, job.after);
      if (next !== null) await env.JOBS.send({ kind: "reprocess", jobId: job.jobId, after: next });
      return;
    }
    case "s3-poll": {
      const row = await drizzle(env.DB).select().from(logSources).where(eq(logSources.id, job.sourceId)).get();
      if (row?.type === "s3" && row.enabled) await pollSource(env, row);
      return;
    }
    case "s3-object":
      return readObject(env, job, { final: attempts >= S3_READ_ATTEMPTS });
    default: {
      const unknown: never = job;
      throw new Error(`no handler for ${JSON.stringify(unknown)}`);
    }
  }
}

/** Consumer of the JOBS queue: one chunk per message, acked or retried per message. */
export async function consumeJobs(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = jobMessage.safeParse(msg.body);
    if (!parsed.success) {
      // A message we cannot read would fail forever: drop it, loudly.
      console.error(JSON.stringify({ level: "error", queue: batch.queue, message: "unreadable job message", id: msg.id }));
      msg.ack();
      continue;
    }
    try {
      await runJob(parsed.data, msg.attempts, env);
      msg.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", queue: batch.queue, kind: parsed.data.kind, message: String(err), id: msg.id }));
      msg.retry({ delaySeconds: retryDelay(msg.attempts) });
    }
  }
}

/** Dead-lettered jobs: whatever they were for is marked failed, so no page says it is still running. */
export async function consumeDeadJobs(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = jobMessage.safeParse(msg.body);
    if (parsed.success && parsed.data.kind === "reprocess") {
      await env.DB.prepare("UPDATE reprocessing_jobs SET status = 'FAILED', finished_at = ? WHERE id = ? AND status = 'RUNNING'")
        .bind(new Date().toISOString(), parsed.data.jobId)
        .run();
    }
    if (parsed.success && parsed.data.kind === "s3-object") await abandonRead(env, parsed.data);
    // A dead-lettered poll needs nothing: the next minute's poll lists the bucket again.
    msg.ack();
  }
}
