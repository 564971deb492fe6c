import { ALERT_STATUSES, SUBTYPES, type AlertListType, type AlertQuery, type AlertStatus } from "./api/alerts";
import type { Query } from "./state/routes";

/** "open" is OPEN or TRIAGED (still needs someone); "all" is no status filter. */
export type StatusFilter = "open" | "all" | AlertStatus;

/** The filters of an alert list, as its URL carries them. */
export interface AlertFilters {
  type: AlertListType;
  subtype: string;
  status: StatusFilter;
  sourceId: string;
}

const LIST_TYPES: readonly AlertListType[] = ["ALERT", "DETECTION_ERROR", "SYSTEM_ERROR"];

export const STATUS_FILTERS: Record<StatusFilter, string> = {
  open: "Open or triaged",
  all: "Any status",
  OPEN: "Open",
  TRIAGED: "Triaged",
  CLOSED: "Closed",
  RESOLVED: "Resolved",
};

/** Reads filters from a route's query, falling back to `defaults` for anything absent or unknown. */
export function filtersFromQuery(query: Query, defaults: AlertFilters): AlertFilters {
  const one = (name: string) => query[name]?.[0];
  const type = LIST_TYPES.find((t) => t === one("type")) ?? defaults.type;
  const subtype = one("subtype") ?? "";
  const status = one("status") ?? "";
  return {
    type,
    subtype: subtype in SUBTYPES[type] ? subtype : defaults.subtype,
    status: status in STATUS_FILTERS ? (status as StatusFilter) : defaults.status,
    sourceId: one("sourceId") ?? defaults.sourceId,
  };
}

/** The query that reproduces `filters`: only what differs from `defaults`, so links stay short. */
export function filtersToQuery(filters: AlertFilters, defaults: AlertFilters, fixedType = false): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fixedType && filters.type !== defaults.type) out.type = filters.type;
  if (filters.subtype && filters.subtype !== defaults.subtype) out.subtype = filters.subtype;
  if (filters.status !== defaults.status) out.status = filters.status;
  if (filters.sourceId && filters.sourceId !== defaults.sourceId) out.sourceId = filters.sourceId;
  return out;
}

export function statusesOf(filter: StatusFilter): AlertStatus[] | undefined {
  if (filter === "all") return undefined;
  if (filter === "open") return ["OPEN", "TRIAGED"];
  return ALERT_STATUSES.includes(filter) ? [filter] : undefined;
}

/** The API query of a set of filters. */
export function toAlertQuery(filters: AlertFilters): Omit<AlertQuery, "cursor"> {
  return {
    type: filters.type,
    subtype: filters.subtype || undefined,
    status: statusesOf(filters.status),
    sourceId: filters.sourceId || undefined,
  };
}
