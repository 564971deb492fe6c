import type { Context } from "hono";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { auditLog } from "../db/schema";

export interface AuditChange {
  action: string;
  targetType: string;
  targetId: string;
  /** What changed. Callers pass redacted views: secrets never reach the trail. */
  details?: Record<string, unknown>;
}

/**
 * The audit row for a change, as a statement to run in the same `db.batch()` as the change
 * itself, so a change is never made without its record (D1 batches are atomic).
 */
export function auditInsert(c: Context<AppEnv>, change: AuditChange, at = new Date()) {
  const actor = c.get("actor");
  return drizzle(c.env.DB)
    .insert(auditLog)
    .values({
      id: crypto.randomUUID(),
      at: at.toISOString(),
      actorId: actor.id,
      actorName: actor.name,
      action: change.action,
      targetType: change.targetType,
      targetId: change.targetId,
      details: change.details ?? {},
      requestId: c.get("requestId"),
    });
}
