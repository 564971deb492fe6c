import { jobMessage } from "./messages";
import { runReprocessChunk } from "./reprocess";

/** Backoff for a failed chunk: 10 s, 20 s, 40 s... capped at 5 minutes. */
const retryDelay = (attempts: number) => Math.min(300, 10 * 2 ** Math.max(0, attempts - 1));

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
      const job = parsed.data;
      const next = await runReprocessChunk(env, job.jobId, job.after);
      if (next !== null) await env.JOBS.send({ kind: "reprocess", jobId: job.jobId, after: next });
      msg.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", queue: batch.queue, message: String(err), id: msg.id }));
      msg.retry({ delaySeconds: retryDelay(msg.attempts) });
    }
  }
}

/** Dead-lettered jobs: the job is marked FAILED so its page says so instead of running forever. */
export async function consumeDeadJobs(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = jobMessage.safeParse(msg.body);
    if (parsed.success) {
      await env.DB.prepare("UPDATE reprocessing_jobs SET status = 'FAILED', finished_at = ? WHERE id = ? AND status = 'RUNNING'")
        .bind(new Date().toISOString(), parsed.data.jobId)
        .run();
    }
    msg.ack();
  }
}
