import type { RELATED_COMPONENTS, SYSTEM_ERROR_TYPES, OUTPUT_TYPES } from "../db/schema";

export type SystemErrorType = (typeof SYSTEM_ERROR_TYPES)[number];
export type RelatedComponent = (typeof RELATED_COMPONENTS)[number];
export type OutputType = (typeof OUTPUT_TYPES)[number];

/** The component a System Error is about. */
export interface Component {
  kind: RelatedComponent;
  id: string;
  label: string;
  /** For log sources: http | s3. */
  sourceType?: string;
}

export interface SystemErrorInput {
  type: SystemErrorType;
  component: Component;
  /** Says what broke, e.g. "Logs from Edge cannot be classified into its attached schemas". */
  title: string;
  /** Says why (the raw error when there is one) and what to do next. */
  message: string;
  /** Dashboard route of the component's page, e.g. "#/sources/<id>/health". */
  link: string;
  /** Structured details: the raw error, failing objects, counts. */
  context?: Record<string, unknown>;
  /** How many occurrences this raise stands for (e.g. failing lines in a batch). */
  occurrences?: number;
}

/** One open alert per (type, component): repeats join it. */
export function dedupKey(type: SystemErrorType, componentId: string): string {
  return `${type}:${componentId}`;
}

/** System Errors are always CRITICAL, whatever the detector or a destination's filter says. */
export const SYSTEM_ERROR_SEVERITY = "CRITICAL" as const;

/** Alert events kept per alert; the alert's event count keeps the full total. */
export const MAX_EVENTS_PER_ALERT = 500;

export const OPEN_STATUSES = ["OPEN", "TRIAGED"] as const;

/** Human duration for titles: 90 → "1 hour 30 minutes", 1440 → "24 hours". */
export function describeMinutes(minutes: number): string {
  if (minutes % 1440 === 0 && minutes >= 2880) return `${minutes / 1440} days`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = [];
  if (h) parts.push(`${h} hour${h === 1 ? "" : "s"}`);
  if (m) parts.push(`${m} minute${m === 1 ? "" : "s"}`);
  return parts.join(" ") || "0 minutes";
}
