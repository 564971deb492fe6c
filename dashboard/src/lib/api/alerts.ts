import type { InferRequestType, InferResponseType } from "hono/client";
import { client } from "./client";

const alerts = client.api.alerts;

/** A row of an alert list. */
export type AlertSummary = InferResponseType<typeof alerts.$get, 200>["results"][number];
/** An alert's page: the row plus its description, context, history and deliveries. */
export type AlertDetail = InferResponseType<(typeof alerts)[":id"]["$get"], 200>;
export type AlertEvent = InferResponseType<(typeof alerts)[":id"]["events"]["$get"], 200>["results"][number];
/** A failing line of a classification alert. */
export type AlertFailure = InferResponseType<(typeof alerts)[":id"]["failures"]["$get"], 200>["results"][number];
export type AlertUpdate = InferRequestType<(typeof alerts)[":id"]["$patch"]>["json"];
export type AlertStatus = AlertSummary["status"];
export type Severity = AlertSummary["severity"];
export type SystemErrorType = NonNullable<NonNullable<AlertSummary["systemError"]>["type"]>;

/** The dashboard's alert lists (API `type`), as its tabs. */
export type AlertListType = "ALERT" | "DETECTION_ERROR" | "SYSTEM_ERROR";

export interface Page<T> {
  results: T[];
  next: string | null;
}

export interface AlertQuery {
  type: AlertListType;
  subtype?: string;
  status?: readonly AlertStatus[];
  sourceId?: string;
  cursor?: string;
  limit?: number;
}

export const ALERT_STATUSES: readonly AlertStatus[] = ["OPEN", "TRIAGED", "CLOSED", "RESOLVED"];
export const SEVERITIES: readonly Severity[] = ["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

/** Every System Error type with what it means, in the order the overview lists them. */
export const SYSTEM_ERROR_LABELS: Record<SystemErrorType, string> = {
  SOURCE_CLASSIFICATION_FAILURES: "Classification failures",
  SOURCE_NO_DATA: "Source not sending data",
  SOURCE_PERMISSIONS_CHECKS: "Source permission checks",
  SOURCE_LOG_PROCESSING_ERRORS: "Log processing errors",
  ALERT_DELIVERY: "Alert delivery failures",
  SOURCE_SCANNING_ERRORS: "Cloud scanning errors",
  SCHEDULED_QUERY_ERRORS: "Scheduled query errors",
};

/** The subtypes each list can be filtered by, with their labels. */
export const SUBTYPES: Record<AlertListType, Record<string, string>> = {
  ALERT: { RULE: "Rule matches", SCHEDULED_RULE: "Scheduled rule matches", POLICY: "Policy failures" },
  DETECTION_ERROR: { RULE_ERROR: "Rule errors", SCHEDULED_RULE_ERROR: "Scheduled rule errors" },
  SYSTEM_ERROR: SYSTEM_ERROR_LABELS,
};

export const isClassificationAlert = (alert: Pick<AlertSummary, "systemError">) => alert.systemError?.type === "SOURCE_CLASSIFICATION_FAILURES";

/** One page of a list, newest first. */
export async function listAlerts(q: AlertQuery): Promise<Page<AlertSummary>> {
  type ListQuery = InferRequestType<typeof alerts.$get>["query"];
  const query: ListQuery = { type: q.type, limit: String(q.limit ?? 25) };
  // Repeated parameters are arrays; an unknown subtype is the API's to refuse.
  if (q.subtype) query.subtype = [q.subtype as NonNullable<ListQuery["subtype"]>[number]];
  if (q.status?.length) query.status = [...q.status];
  if (q.sourceId) query.sourceId = q.sourceId;
  if (q.cursor) query.cursor = q.cursor;
  const res = await alerts.$get({ query });
  return res.json();
}

/** Every alert of a list (following the cursor), for counts. */
export async function listAllAlerts(q: Omit<AlertQuery, "cursor" | "limit">): Promise<AlertSummary[]> {
  const all: AlertSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAlerts({ ...q, limit: 100, cursor });
    all.push(...page.results);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all;
}

export async function getAlert(id: string): Promise<AlertDetail> {
  const res = await alerts[":id"].$get({ param: { id } });
  return res.json();
}

export async function listAlertEvents(id: string, cursor?: string): Promise<Page<AlertEvent>> {
  const res = await alerts[":id"].events.$get({ param: { id }, query: { limit: "25", ...(cursor ? { cursor } : {}) } });
  return res.json();
}

/** Failing lines of a classification alert, oldest first. */
export async function listAlertFailures(id: string, cursor?: string, limit = 10): Promise<Page<AlertFailure>> {
  const res = await alerts[":id"].failures.$get({ param: { id }, query: { limit: String(limit), ...(cursor ? { cursor } : {}) } });
  return res.json();
}

export async function updateAlert(id: string, update: AlertUpdate): Promise<AlertSummary> {
  const res = await alerts[":id"].$patch({ param: { id }, json: update });
  return res.json();
}

/**
 * Resolves an alert. For a classification alert `reprocess` chooses Reprocess (answers the job
 * id) or Skip; other alerts are simply resolved.
 */
export async function resolveAlert(id: string, reprocess: boolean): Promise<{ alert: AlertSummary; jobId: string | null }> {
  const res = await alerts[":id"].resolve.$post({ param: { id }, json: { reprocess } });
  const body = await res.json();
  return "jobId" in body ? { alert: body.alert, jobId: body.jobId } : { alert: body, jobId: null };
}
