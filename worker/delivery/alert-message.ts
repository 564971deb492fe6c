import type { alerts, SEVERITIES } from "../db/schema";

export type Severity = (typeof SEVERITIES)[number];
export type AlertRow = typeof alerts.$inferSelect;

/** What is being sent: the alert itself, its resolution, or a test alert. */
export type MessageKind = "ALERT" | "RESOLVED" | "TEST";

/** The alert as every formatter sees it: plain data with absolute links, nothing to look up. */
export interface AlertView {
  /** The alert's own id (Panther's `alertId`). */
  alertId: string;
  /** What raised it (Panther's `id`): the System Error type, or the detection's id. */
  detectionId: string;
  /** RULE, POLICY, ..., SYSTEM_ERROR, or TEST for a test alert. */
  type: string;
  systemErrorType: string | null;
  severity: Severity;
  title: string;
  description: string;
  runbook: string;
  tags: string[];
  version: string;
  createdAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  eventCount: number;
  /** The alert in the dashboard. */
  url: string;
  component: { kind: string; id: string; label: string; url: string } | null;
  context: Record<string, unknown>;
}

export interface OutgoingMessage {
  kind: MessageKind;
  alert: AlertView;
}

/** Joins a dashboard route ("#/alerts/1", "/alerts/1") or an absolute URL to the dashboard's base. */
export function dashboardLink(base: string, route: string): string {
  if (/^https?:\/\//i.test(route)) return route;
  const root = base.replace(/\/+$/, "");
  if (route.startsWith("#")) return `${root}/${route}`;
  return `${root}/#/${route.replace(/^\/+/, "")}`;
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function alertView(row: AlertRow, dashboardUrl: string): AlertView {
  const ctx = row.context ?? {};
  const tags = Array.isArray(ctx.tags) ? ctx.tags.filter((t): t is string => typeof t === "string") : [];
  return {
    alertId: row.id,
    detectionId: row.systemErrorType ?? text(ctx.detectionId) ?? text(ctx.ruleId) ?? row.dedupKey,
    type: row.type,
    systemErrorType: row.systemErrorType,
    severity: row.severity,
    title: row.title,
    description: row.description,
    runbook: text(ctx.runbook) ?? "",
    tags,
    version: text(ctx.version) ?? "",
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
    resolution: row.resolution,
    eventCount: row.eventCount,
    url: dashboardLink(dashboardUrl, `#/alerts/${row.id}`),
    component:
      row.relatedComponent && row.componentId
        ? { kind: row.relatedComponent, id: row.componentId, label: row.componentLabel ?? row.componentId, url: dashboardLink(dashboardUrl, row.link) }
        : null,
    context: ctx,
  };
}

/** The synthetic alert a destination's "Send test alert" delivers. */
export function testAlertView(destination: { id: string; displayName: string }, deliveryId: string, now: Date, dashboardUrl: string): AlertView {
  return {
    alertId: `test-${deliveryId}`,
    detectionId: "Pipewatch.TestAlert",
    type: "TEST",
    systemErrorType: null,
    severity: "INFO",
    title: `Test alert from Pipewatch to ${destination.displayName}`,
    description: "This is a test alert sent from Pipewatch to check that this destination receives alerts. No action is needed.",
    runbook: "",
    tags: ["test"],
    version: "",
    createdAt: now.toISOString(),
    resolvedAt: null,
    resolution: null,
    eventCount: 0,
    url: dashboardLink(dashboardUrl, `#/destinations/${destination.id}`),
    component: null,
    context: {},
  };
}
