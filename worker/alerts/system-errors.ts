import { and, eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alertEvents, alertHistory, alerts, notifications } from "../db/schema";
import type { Actor } from "../auth/actor";
import { dispatchAlert } from "../delivery/dispatch";
import { dedupKey, MAX_EVENTS_PER_ALERT, OPEN_STATUSES, SYSTEM_ERROR_SEVERITY, type SystemErrorInput, type SystemErrorType } from "./policy";

export type AlertRow = typeof alerts.$inferSelect;

export interface RaiseResult {
  alertId: string;
  /** False when the error joined an alert that was already open (no new notification). */
  created: boolean;
}

/**
 * The one way every detector raises a System Error. Deduplicated by the database (one open alert
 * per type and component): a repeat adds an event to the open alert and notifies no one.
 * A new one is CRITICAL, becomes an in-app notification and is dispatched to every destination
 * subscribed to System Errors (minus `excludeOutputIds`).
 */
export async function raiseSystemError(
  env: Env,
  input: SystemErrorInput,
  opts: {
    now?: Date;
    excludeOutputIds?: readonly string[];
    /** A repeat also replaces the open alert's description (for errors whose message lists what fails now). */
    refreshDescription?: boolean;
  } = {},
): Promise<RaiseResult> {
  const db = drizzle(env.DB);
  const now = (opts.now ?? new Date()).toISOString();
  const key = dedupKey(input.type, input.component.id);
  const occurrences = input.occurrences ?? 1;
  const id = crypto.randomUUID();
  const inserted = await db
    .insert(alerts)
    .values({
      id,
      type: "SYSTEM_ERROR",
      systemErrorType: input.type,
      severity: SYSTEM_ERROR_SEVERITY,
      status: "OPEN",
      title: input.title,
      description: input.message,
      link: input.link,
      dedupKey: key,
      relatedComponent: input.component.kind,
      componentId: input.component.id,
      componentLabel: input.component.label,
      sourceId: input.component.kind === "LOG_SOURCE" ? input.component.id : null,
      sourceType: input.component.kind === "LOG_SOURCE" ? (input.component.sourceType ?? null) : null,
      context: input.context ?? {},
      eventCount: occurrences,
      createdAt: now,
      updatedAt: now,
      lastReceivedEventAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: alerts.id });
  const event = { title: input.title, message: input.message, occurrences, ...(input.context ?? {}) };

  if (inserted.length === 0) {
    // Joined the open alert: count it, keep a bounded trail of events, notify no one.
    const open = await db
      .update(alerts)
      .set({
        eventCount: sql`${alerts.eventCount} + ${occurrences}`,
        updatedAt: now,
        lastReceivedEventAt: now,
        context: input.context ?? {},
        ...(opts.refreshDescription ? { description: input.message } : {}),
      })
      .where(and(eq(alerts.dedupKey, key), inArray(alerts.status, [...OPEN_STATUSES])))
      .returning({ id: alerts.id, eventCount: alerts.eventCount });
    if (open.length === 0) return raiseSystemError(env, input, opts); // resolved meanwhile: open a new one
    if (open[0].eventCount - occurrences < MAX_EVENTS_PER_ALERT) {
      await db.insert(alertEvents).values({ id: crypto.randomUUID(), alertId: open[0].id, at: now, payload: event });
    }
    return { alertId: open[0].id, created: false };
  }

  await db.batch([
    db.insert(alertEvents).values({ id: crypto.randomUUID(), alertId: id, at: now, payload: event }),
    db.insert(notifications).values({
      id: crypto.randomUUID(),
      kind: "SYSTEM_ERROR",
      title: input.title,
      message: input.message,
      link: `#/alerts/${id}`,
      alertId: id,
      createdAt: now,
    }),
  ]);
  await dispatchAlert(env, id, { kind: "ALERT", exclude: opts.excludeOutputIds, now: new Date(now) });
  return { alertId: id, created: true };
}

/**
 * Resolves the open System Error of a type and component, if any: records who or what resolved
 * it and why, notifies in the app, and sends the resolution to destinations with sendResolved.
 */
export async function resolveSystemError(
  env: Env,
  type: SystemErrorType,
  componentId: string,
  resolution: { by: Actor; reason: string; now?: Date },
): Promise<AlertRow | null> {
  const db = drizzle(env.DB);
  const [open] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.dedupKey, dedupKey(type, componentId)), inArray(alerts.status, [...OPEN_STATUSES])));
  if (!open) return null;
  return resolveAlert(env, open, resolution);
}

/** Resolves one alert (by id) if it is still open; answers null when someone else already did. */
export async function resolveAlert(env: Env, alert: AlertRow, resolution: { by: Actor; reason: string; now?: Date }): Promise<AlertRow | null> {
  const db = drizzle(env.DB);
  const now = (resolution.now ?? new Date()).toISOString();
  const [resolved] = await db
    .update(alerts)
    .set({ status: "RESOLVED", resolvedAt: now, resolvedBy: resolution.by.name, resolution: resolution.reason, updatedAt: now })
    .where(and(eq(alerts.id, alert.id), inArray(alerts.status, [...OPEN_STATUSES])))
    .returning();
  if (!resolved) return null;
  await db.batch([
    db.insert(alertHistory).values({
      id: crypto.randomUUID(),
      alertId: alert.id,
      at: now,
      actorId: resolution.by.id,
      actorName: resolution.by.name,
      field: "status",
      fromValue: alert.status,
      toValue: "RESOLVED",
    }),
    db.insert(notifications).values({
      id: crypto.randomUUID(),
      kind: "SYSTEM_ERROR_RESOLVED",
      title: `Resolved: ${alert.title}`,
      message: resolution.reason,
      link: `#/alerts/${alert.id}`,
      alertId: alert.id,
      createdAt: now,
    }),
  ]);
  if (resolved.type === "SYSTEM_ERROR") await dispatchAlert(env, alert.id, { kind: "RESOLVED", now: new Date(now) });
  return resolved;
}
