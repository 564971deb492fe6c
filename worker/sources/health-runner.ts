import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { logSources } from "../db/schema";
import { SYSTEM_ACTOR } from "../auth/actor";
import { raiseSystemError, resolveSystemError } from "../alerts/system-errors";
import { evaluateHttpHealth, type HealthCheck } from "./health";
import { monitorOf } from "./lifecycle";

type SourceRow = typeof logSources.$inferSelect;

export interface SourceHealth {
  isHealthy: boolean;
  checks: HealthCheck[];
  lastEventReceivedAt: string | null;
  lastEventProcessedAt: string | null;
}

/** Checks that raise SOURCE_PERMISSIONS_CHECKS; the others are alerted by their own System Errors. */
const ACCESS_CHECKS = new Set(["credentials", "bucket"]);
const isAccessCheck = (name: string) => ACCESS_CHECKS.has(name) || name.startsWith("objectAccess:");

/**
 * Runs a source's checks now. The first unhealthy access check raises (or joins)
 * SOURCE_PERMISSIONS_CHECKS; when every access check passes again it resolves.
 * `is_healthy` on the source row is kept in step for the source list.
 */
export async function runHealthChecks(env: Env, row: SourceRow, now = new Date()): Promise<SourceHealth> {
  const snapshot = await monitorOf(env, row.id).healthSnapshot(now.getTime());
  const checks = row.type === "http" ? evaluateHttpHealth(snapshot, now) : [];
  const isHealthy = checks.every((c) => c.healthy);
  const failingAccess = checks.find((c) => isAccessCheck(c.name) && !c.healthy);
  if (failingAccess) {
    await raiseSystemError(env, {
      type: "SOURCE_PERMISSIONS_CHECKS",
      component: { kind: "LOG_SOURCE", id: row.id, label: row.label, sourceType: row.type },
      title: `${row.label} has turned unhealthy: ${failingAccess.name}: ${failingAccess.message}`,
      message: `${failingAccess.message}${failingAccess.rawErrorMessage ? ` (${failingAccess.rawErrorMessage})` : ""}. This alert resolves itself when the check passes again.`,
      link: `#/sources/${row.id}/health`,
      context: { check: failingAccess.name, rawErrorMessage: failingAccess.rawErrorMessage ?? null },
    }, { now });
  } else {
    await resolveSystemError(env, "SOURCE_PERMISSIONS_CHECKS", row.id, { by: SYSTEM_ACTOR, reason: "The access checks pass again", now });
  }
  if (isHealthy !== row.isHealthy) {
    await drizzle(env.DB).update(logSources).set({ isHealthy }).where(eq(logSources.id, row.id));
  }
  return { isHealthy, checks, lastEventReceivedAt: snapshot.lastEventReceivedAt, lastEventProcessedAt: snapshot.lastEventProcessedAt };
}

/** The cron's pass over every enabled source, a few at a time. */
export async function checkAllSources(env: Env, now = new Date()): Promise<number> {
  const rows = await drizzle(env.DB).select().from(logSources).where(eq(logSources.enabled, true));
  const candidates = rows.filter((r) => r.type === "http");
  const CONCURRENCY = 8;
  for (let i = 0; i < candidates.length; i += CONCURRENCY) {
    await Promise.all(candidates.slice(i, i + CONCURRENCY).map((r) => runHealthChecks(env, r, now)));
  }
  return candidates.length;
}
