import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import worker from "../../worker/index";
import { alerts, deliveries, deliveryAttempts, destinations } from "../../worker/db/schema";
import { newDelivery } from "../../worker/delivery/records";
import { api } from "./api";

let seq = 0;
export const uid = (prefix = "t") => `${prefix}-${Date.now().toString(36)}-${++seq}`;

/** A fresh receiver URL, so each test reads only its own requests. */
export const hookUrl = (name = "hook") => `https://receiver.test/${uid(name)}`;

export function destinationBody(overrides: Record<string, unknown> = {}) {
  return {
    displayName: uid("dest"),
    outputType: "customwebhook",
    outputConfig: { webhookURL: hookUrl() },
    alertTypes: ["RULE", "SYSTEM_ERROR"],
    defaultForSeverity: ["HIGH", "CRITICAL"],
    ...overrides,
  };
}

export async function createDestination(overrides: Record<string, unknown> = {}) {
  const res = await api("/api/alert-destinations", { body: destinationBody(overrides) });
  if (res.status !== 201) throw new Error(`destination: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { outputId: string; displayName: string; outputConfig: Record<string, string> };
}

type AlertRow = typeof alerts.$inferSelect;

/** An alert row written straight to the control plane, as a detector would have. */
export async function insertAlert(overrides: Partial<AlertRow> = {}): Promise<AlertRow> {
  const now = new Date().toISOString();
  const id = crypto.randomUUID();
  const row: AlertRow = {
    id,
    type: "RULE",
    systemErrorType: null,
    severity: "HIGH",
    status: "OPEN",
    title: "Suspicious login from a new country",
    description: "A user signed in from a country never seen before.",
    link: `#/alerts/${id}`,
    dedupKey: `rule:${id}`,
    relatedComponent: null,
    componentId: null,
    componentLabel: null,
    sourceId: null,
    sourceType: null,
    context: { detectionId: "Okta.NewCountryLogin", runbook: "Call the user.", tags: ["okta", "identity"] },
    eventCount: 1,
    assignee: null,
    createdAt: now,
    updatedAt: now,
    lastReceivedEventAt: now,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    ...overrides,
  };
  await drizzle(env.DB).insert(alerts).values(row);
  return row;
}

/** A delivery row with no queue message: the test drives its attempts itself. */
export async function insertDelivery(alertId: string, outputId: string, kind: "ALERT" | "RESOLVED" | "TEST" = "ALERT") {
  const row = newDelivery(alertId, outputId, kind, new Date());
  await drizzle(env.DB).insert(deliveries).values(row);
  return row;
}

export const deliveryRow = (id: string) => drizzle(env.DB).select().from(deliveries).where(eq(deliveries.id, id)).get();
export const attemptsOf = (id: string) => drizzle(env.DB).select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)).orderBy(deliveryAttempts.attempt);
export const destinationRow = (id: string) => drizzle(env.DB).select().from(destinations).where(eq(destinations.id, id)).get();

/** Makes a delivery due now, as if its retry delay had passed. */
export async function makeDue(id: string) {
  await drizzle(env.DB).update(deliveries).set({ nextAttemptAt: new Date(Date.now() - 1000).toISOString() }).where(eq(deliveries.id, id));
}

/**
 * Hands messages to the Worker's queue handler as the queue would (the n-th delivery of a
 * message has attempts = n) and answers what it acked and retried.
 */
export async function drive(queue: string, bodies: unknown[], opts: { attempts?: number; env?: Env } = {}) {
  const messages = bodies.map((body) => ({ id: uid("msg"), timestamp: new Date(), attempts: opts.attempts ?? 1, body }));
  const batch = createMessageBatch(queue, messages);
  // getQueueResult does not report retry delays: record what the handler asked for.
  const delays = new Map<string, number | undefined>();
  for (const msg of batch.messages) {
    const retry = msg.retry.bind(msg);
    vi.spyOn(msg, "retry").mockImplementation((options) => {
      delays.set(msg.id, options?.delaySeconds);
      retry(options);
    });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, opts.env ?? env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ids: messages.map((m) => m.id), ...result, retryMessages: result.retryMessages.map((m) => ({ ...m, delaySeconds: delays.get(m.msgId) })) };
}

/** One attempt of one delivery through the DELIVERIES handler; makes it due first. */
export async function attempt(deliveryId: string, attempts = 1, opts: { env?: Env } = {}) {
  await makeDue(deliveryId);
  const result = await drive("pipewatch-deliveries", [{ deliveryId }], { attempts, env: opts.env });
  const acked = result.explicitAcks.includes(result.ids[0]);
  const retry = result.retryMessages.find((m) => m.msgId === result.ids[0]);
  return { acked, retried: !!retry, delaySeconds: retry?.delaySeconds, row: (await deliveryRow(deliveryId))! };
}

/** The env with another retry schedule, for handlers called directly. */
export const withSchedule = (schedule: string): Env => ({ ...env, DELIVERY_RETRY_SCHEDULE: schedule });

export { env };
