import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { logSources } from "../db/schema";
import { SYSTEM_ACTOR } from "../auth/actor";
import { raiseSystemError, resolveSystemError } from "../alerts/system-errors";
import { evaluateHttpHealth, type HealthCheck } from "./health";
import { monitorOf } from "./lifecycle";
import { s3Settings } from "./s3-source";
import { checkS3Access } from "../s3/health";

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

/** S3 checks call AWS: the cron runs them this often, every minute while one fails (so a fix shows soon). */
export const S3_CHECK_INTERVAL_MS = 5 * 60_000;

/** The first unhealthy access check raises (or joins) SOURCE_PERMISSIONS_CHECKS; all passing resolves it. */
async function alertOnAccess(env: Env, row: SourceRow, checks: HealthCheck[], now: Date) {
  const failing = checks.find((c) => isAccessCheck(c.name) && !c.healthy);
  if (!failing) {
    await resolveSystemError(env, "SOURCE_PERMISSIONS_CHECKS", row.id, { by: SYSTEM_ACTOR, reason: "The access checks pass again", now });
    return;
  }
  await raiseSystemError(
    env,
    {
      type: "SOURCE_PERMISSIONS_CHECKS",
      component: { kind: "LOG_SOURCE", id: row.id, label: row.label, sourceType: row.type },
      title: `${row.label} has turned unhealthy: ${failing.name}: ${failing.message}`,
      message: `${failing.message}${failing.rawErrorMessage ? ` (${failing.rawErrorMessage})` : ""}. This alert resolves itself when the check passes again.`,
      link: `#/sources/${row.id}/health`,
      context: { check: failing.name, rawErrorMessage: failing.rawErrorMessage ?? null },
    },
    { now },
  );
}

/**
 * Runs a source's checks now: HTTP sources' from their monitor, S3 sources' against AWS (their
 * results are stored on the row, for reads and the source list). Access checks raise or resolve
 * SOURCE_PERMISSIONS_CHECKS; `is_healthy` on the row is kept in step.
 */
export async function runHealthChecks(env: Env, row: SourceRow, now = new Date()): Promise<SourceHealth> {
  const snapshot = await monitorOf(env, row.id).healthSnapshot(now.getTime());
  let checks: HealthCheck[] = [];
  if (row.type === "http") checks = evaluateHttpHealth(snapshot, now);
  if (row.type === "s3") checks = await checkS3Access(env, row.id, s3Settings(row), now);
  const isHealthy = checks.every((c) => c.healthy);
  await alertOnAccess(env, row, checks, now);
  const stored = row.type === "s3" ? { healthChecks: { checkedAt: now.toISOString(), checks } } : {};
  if (isHealthy !== row.isHealthy || row.type === "s3") {
    await drizzle(env.DB).update(logSources).set({ isHealthy, ...stored }).where(eq(logSources.id, row.id));
  }
  return { isHealthy, checks, lastEventReceivedAt: snapshot.lastEventReceivedAt, lastEventProcessedAt: snapshot.lastEventProcessedAt };
}

/**
 * A source's health as GET shows it, without side effects: HTTP checks are computed from the
 * monitor (cheap); S3 sources answer their stored results, since reading a page must not call
 * AWS (only a source never checked yet is checked now). Raising, resolving and `is_healthy` are
 * the cron's and `POST /health-check`'s business.
 */
export async function readHealth(env: Env, row: SourceRow, now = new Date()): Promise<SourceHealth> {
  if (row.type === "s3") {
    if (!row.healthChecks) return runHealthChecks(env, row, now);
    const state = await monitorOf(env, row.id).state();
    const { checks } = row.healthChecks;
    return { isHealthy: checks.every((c) => c.healthy), checks, ...state };
  }
  const snapshot = await monitorOf(env, row.id).healthSnapshot(now.getTime());
  const checks = row.type === "http" ? evaluateHttpHealth(snapshot, now) : [];
  return { isHealthy: checks.every((c) => c.healthy), checks, lastEventReceivedAt: snapshot.lastEventReceivedAt, lastEventProcessedAt: snapshot.lastEventProcessedAt };
}

function due(row: SourceRow, now: Date): boolean {
  if (row.type === "http") return true;
  if (row.type !== "s3") return false;
  if (!row.healthChecks || !row.isHealthy) return true;
  return now.getTime() - Date.parse(row.healthChecks.checkedAt) >= S3_CHECK_INTERVAL_MS;
}

/** The cron's pass over every enabled source that is due, a few at a time. */
export async function checkAllSources(env: Env, now = new Date()): Promise<number> {
  const rows = await drizzle(env.DB).select().from(logSources).where(eq(logSources.enabled, true));
  const candidates = rows.filter((r) => due(r, now));
  const CONCURRENCY = 8;
  for (let i = 0; i < candidates.length; i += CONCURRENCY) {
    const results = await Promise.allSettled(candidates.slice(i, i + CONCURRENCY).map((r) => runHealthChecks(env, r, now)));
    for (const r of results) if (r.status === "rejected") console.error(JSON.stringify({ level: "error", message: "health check failed", error: String(r.reason) }));
  }
  return candidates.length;
}
