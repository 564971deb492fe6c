import type { logSources } from "../db/schema";

export type SourceRow = typeof logSources.$inferSelect;

/** New sources watch for silence by default: 24 hours. */
export const DEFAULT_DROP_OFF_MINUTES = 1440;

/** A new source of any kind, with its kind's settings and secrets already split. */
export function newSourceRow(
  fields: Pick<SourceRow, "type" | "label" | "logTypes" | "logStreamType" | "config" | "secrets" | "createdBy">,
  /** Omitted means the default alarm; an explicit null means none. */
  dropOffAlarm: { minutesThreshold: number } | null | undefined,
  now = new Date().toISOString(),
): SourceRow {
  return {
    id: crypto.randomUUID(),
    ...fields,
    enabled: true,
    dropOffMinutes: dropOffAlarm === undefined ? DEFAULT_DROP_OFF_MINUTES : (dropOffAlarm?.minutesThreshold ?? null),
    createdAt: now,
    updatedAt: now,
    lastEventReceivedAt: null,
    lastEventProcessedAt: null,
    isHealthy: true,
    healthChecks: null,
  };
}

/** What every kind of source shows; each kind adds its own settings. */
export function presentSourceCommon(row: SourceRow) {
  return {
    integrationId: row.id,
    integrationLabel: row.label,
    integrationType: row.type,
    logTypes: row.logTypes,
    logStreamType: row.logStreamType,
    enabled: row.enabled,
    isHealthy: row.isHealthy,
    lastEventReceivedAt: row.lastEventReceivedAt,
    lastEventProcessedAt: row.lastEventProcessedAt,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
  };
}
