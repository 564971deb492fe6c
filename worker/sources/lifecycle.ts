import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alerts, type logSources } from "../db/schema";
import type { Actor } from "../auth/actor";
import { resolveAlert } from "../alerts/system-errors";
import { OPEN_STATUSES } from "../alerts/policy";

type SourceRow = typeof logSources.$inferSelect;

export function monitorOf(env: Env, sourceId: string) {
  return env.SOURCE_MONITOR.getByName(sourceId);
}

/** Tells the source's monitor its name, threshold and paused state; changes take effect at once. */
export async function syncMonitor(env: Env, row: SourceRow) {
  return monitorOf(env, row.id).configure({
    id: row.id,
    label: row.label,
    type: row.type,
    minutesThreshold: row.type === "audit" ? null : row.dropOffMinutes,
    enabled: row.enabled,
  });
}

/** A deleted source leaves no alarm, no monitor data and no open alert behind. */
export async function retireSource(env: Env, row: SourceRow, by: Actor) {
  await monitorOf(env, row.id).destroy();
  const open = await drizzle(env.DB)
    .select()
    .from(alerts)
    .where(and(eq(alerts.sourceId, row.id), inArray(alerts.status, [...OPEN_STATUSES])));
  for (const alert of open) {
    await resolveAlert(env, alert, { by, reason: `The log source ${row.label} was deleted by ${by.name}` });
  }
}
