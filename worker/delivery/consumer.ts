import { and, eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { z } from "zod";
import { deliveries } from "../db/schema";
import { attemptDelivery } from "./attempt";
import { deliveryIO } from "./io";
import { parseSchedule } from "./retry-policy";

/** A DELIVERIES message as dispatch sends it: the delivery id, nothing else. */
const deliveryMessage = z.object({ deliveryId: z.string().min(1).max(100) });

/** After an unexpected error (storage unavailable), try the message again soon. */
const ERROR_RETRY_SECONDS = 30;

function log(level: "info" | "warn" | "error", message: string, fields: Record<string, unknown>) {
  console[level === "info" ? "log" : level](JSON.stringify({ level, message, ...fields }));
}

/**
 * The DELIVERIES consumer. Each message is acked or retried on its own: delivered, failed for
 * good and unreadable messages are acked; a retry carries the policy's delay. Messages of one
 * batch are handled concurrently, since each mostly waits on a receiver.
 */
export async function consumeDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const opts = { io: deliveryIO(), schedule: parseSchedule(env.DELIVERY_RETRY_SCHEDULE), dashboardUrl: env.DASHBOARD_URL ?? "" };
  await Promise.all(
    batch.messages.map(async (msg) => {
      const body = deliveryMessage.safeParse(msg.body);
      if (!body.success) {
        // Retrying cannot make it readable.
        log("warn", "unreadable delivery message dropped", { messageId: msg.id, body: JSON.stringify(msg.body)?.slice(0, 200) });
        msg.ack();
        return;
      }
      try {
        const step = await attemptDelivery(env, body.data.deliveryId, opts);
        if (step.action === "retry") msg.retry({ delaySeconds: step.delaySeconds });
        else {
          if (step.note) log("info", "delivery message acked", { deliveryId: body.data.deliveryId, note: step.note });
          msg.ack();
        }
      } catch (err) {
        log("error", "delivery attempt errored", { deliveryId: body.data.deliveryId, error: String(err), stack: (err as Error)?.stack });
        msg.retry({ delaySeconds: ERROR_RETRY_SECONDS });
      }
    }),
  );
}

/**
 * The dead-letter consumer: the queue gave up on these (its max_retries ran out), so their
 * deliveries are marked FAILED and listed as non-delivered. Finished deliveries are left alone.
 */
export async function consumeDeadDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = drizzle(env.DB);
  for (const msg of batch.messages) {
    const body = deliveryMessage.safeParse(msg.body);
    if (body.success) {
      const note = "the delivery queue gave up after its last retry";
      await db
        .update(deliveries)
        .set({
          status: "FAILED",
          success: false,
          nextAttemptAt: null,
          // Keeps the last answer, which says why.
          message: sql`CASE WHEN ${deliveries.message} = '' THEN ${note} ELSE ${deliveries.message} || '; ' || ${note} END`,
        })
        .where(and(eq(deliveries.id, body.data.deliveryId), inArray(deliveries.status, ["PENDING", "RETRYING"])));
    } else {
      log("warn", "unreadable dead-letter message dropped", { messageId: msg.id });
    }
    msg.ack();
  }
}
