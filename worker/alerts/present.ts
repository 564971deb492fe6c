import type { alerts, alertHistory } from "../db/schema";

type AlertRow = typeof alerts.$inferSelect;
type HistoryRow = typeof alertHistory.$inferSelect;

/** The alert as the list shows it. */
export function presentAlert(row: AlertRow) {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    severity: row.severity,
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastReceivedEventAt: row.lastReceivedEventAt,
    eventCount: row.eventCount,
    assignee: row.assignee,
    link: row.link,
    systemError:
      row.type === "SYSTEM_ERROR"
        ? {
            type: row.systemErrorType,
            relatedComponent: row.relatedComponent,
            componentId: row.componentId,
            componentLabel: row.componentLabel,
            ...(row.sourceId ? { sourceId: row.sourceId, sourceType: row.sourceType } : {}),
          }
        : undefined,
  };
}

/** The alert's page: everything of the list row, plus its story. */
export function presentAlertDetail(row: AlertRow, history: HistoryRow[]) {
  return {
    ...presentAlert(row),
    description: row.description,
    context: row.context,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    resolution: row.resolution,
    history: history.map((h) => ({ at: h.at, actor: { id: h.actorId, name: h.actorName }, field: h.field, from: h.fromValue, to: h.toValue })),
  };
}
