import { sql } from "drizzle-orm";
import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";

// Control plane (the DB database). Times are ISO-8601 UTC strings, which sort as they compare.

export const apiTokens = sqliteTable("api_tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  role: text("role", { enum: ["Admin", "Analyst", "ReadOnly"] }).notNull(),
  /** SHA-256 of the token; the token itself is never stored. */
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  expiresAt: text("expires_at"),
  revokedAt: text("revoked_at"),
  lastUsedAt: text("last_used_at"),
});

export const logSources = sqliteTable("log_sources", {
  id: text("id").primaryKey(),
  label: text("label").notNull().unique(),
  type: text("type", { enum: ["http", "s3", "audit"] }).notNull(),
  logTypes: text("log_types", { mode: "json" }).$type<string[]>().notNull(),
  logStreamType: text("log_stream_type").notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** Kind-specific settings that are not secret (auth method, header name, bucket, prefixes). */
  config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  /** Kind-specific secrets (shared secret, HMAC key, passwords, AWS keys); never returned. */
  secrets: text("secrets", { mode: "json" }).$type<Record<string, string>>().notNull(),
  /** Drop-off alarm threshold; null means no alarm. */
  dropOffMinutes: integer("drop_off_minutes"),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  updatedAt: text("updated_at").notNull(),
  /** Written back from the source's monitor at most once a minute. */
  lastEventReceivedAt: text("last_event_received_at"),
  lastEventProcessedAt: text("last_event_processed_at"),
  isHealthy: integer("is_healthy", { mode: "boolean" }).notNull().default(true),
  /**
   * The last results of checks that call out (S3: credentials, bucket, object access), written
   * by the cron and by "Check now"; reading a source's health reads these instead of calling AWS.
   */
  healthChecks: text("health_checks", { mode: "json" }).$type<StoredHealthChecks>(),
});

export interface StoredHealthChecks {
  checkedAt: string;
  checks: { name: string; healthy: boolean; message: string; rawErrorMessage?: string; checkedAt: string }[];
}

export const schemas = sqliteTable("schemas", {
  name: text("name").primaryKey(),
  description: text("description").notNull().default(""),
  referenceUrl: text("reference_url").notNull().default(""),
  spec: text("spec").notNull(),
  revision: integer("revision").notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: text("at").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    /** What changed, with secrets already redacted. */
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    requestId: text("request_id").notNull(),
  },
  (t) => [index("audit_log_at").on(t.at, t.id)],
);

// Alerts and System Errors ------------------------------------------------------------------

export const ALERT_TYPES = ["RULE", "RULE_ERROR", "SCHEDULED_RULE", "SCHEDULED_RULE_ERROR", "POLICY", "SYSTEM_ERROR"] as const;
export const SEVERITIES = ["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export const ALERT_STATUSES = ["OPEN", "TRIAGED", "CLOSED", "RESOLVED"] as const;
export const SYSTEM_ERROR_TYPES = [
  "SOURCE_CLASSIFICATION_FAILURES",
  "SOURCE_NO_DATA",
  "SOURCE_PERMISSIONS_CHECKS",
  "SOURCE_LOG_PROCESSING_ERRORS",
  "ALERT_DELIVERY",
  // Reserved: cloud-security scanning and scheduled searches raise these once they exist.
  "SOURCE_SCANNING_ERRORS",
  "SCHEDULED_QUERY_ERRORS",
] as const;
export const RELATED_COMPONENTS = ["LOG_SOURCE", "DESTINATION", "CLOUD_ACCOUNT", "SAVED_QUERY"] as const;

export const alerts = sqliteTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    type: text("type", { enum: ALERT_TYPES }).notNull(),
    /** The System Error type for SYSTEM_ERROR alerts; null for the others. */
    systemErrorType: text("system_error_type", { enum: SYSTEM_ERROR_TYPES }),
    severity: text("severity", { enum: SEVERITIES }).notNull(),
    status: text("status", { enum: ALERT_STATUSES }).notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    /** Dashboard path of the component's page, e.g. /sources/<id>/health. */
    link: text("link").notNull(),
    /** Deduplication key: one open alert per key (System Errors: type + component). */
    dedupKey: text("dedup_key").notNull(),
    relatedComponent: text("related_component", { enum: RELATED_COMPONENTS }),
    componentId: text("component_id"),
    componentLabel: text("component_label"),
    /** For source errors, as in Panther's REST alerts. */
    sourceId: text("source_id"),
    sourceType: text("source_type"),
    /** Structured details (the raw error, failing objects, ...). */
    context: text("context", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    eventCount: integer("event_count").notNull().default(0),
    assignee: text("assignee"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    lastReceivedEventAt: text("last_received_event_at"),
    resolvedAt: text("resolved_at"),
    resolvedBy: text("resolved_by"),
    resolution: text("resolution"),
  },
  (t) => [
    index("alerts_created").on(t.createdAt, t.id),
    index("alerts_type_created").on(t.type, t.createdAt),
    index("alerts_source").on(t.sourceId, t.status),
    // Enforces "one open alert per (type, component)" in the database, not in code.
    uniqueIndex("alerts_open_dedup").on(t.dedupKey).where(sql`status IN ('OPEN', 'TRIAGED')`),
  ],
);

/** Events attached to an alert; bounded per alert (alerts.event_count keeps the total). */
export const alertEvents = sqliteTable(
  "alert_events",
  {
    id: text("id").primaryKey(),
    alertId: text("alert_id").notNull(),
    at: text("at").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("alert_events_alert").on(t.alertId, t.at)],
);

/** Who changed what on an alert, and when (status, assignee, resolution). */
export const alertHistory = sqliteTable(
  "alert_history",
  {
    id: text("id").primaryKey(),
    alertId: text("alert_id").notNull(),
    at: text("at").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    field: text("field").notNull(),
    fromValue: text("from_value"),
    toValue: text("to_value"),
  },
  (t) => [index("alert_history_alert").on(t.alertId, t.at)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    message: text("message").notNull(),
    link: text("link").notNull(),
    alertId: text("alert_id"),
    createdAt: text("created_at").notNull(),
    readAt: text("read_at"),
  },
  (t) => [index("notifications_created").on(t.createdAt, t.id), index("notifications_unread").on(t.readAt)],
);

export const reprocessingJobs = sqliteTable("reprocessing_jobs", {
  id: text("id").primaryKey(),
  alertId: text("alert_id").notNull(),
  sourceId: text("source_id").notNull(),
  status: text("status", { enum: ["RUNNING", "COMPLETED", "FAILED"] }).notNull(),
  /** Failures received before this instant are older than the 15-day window and left alone. */
  cutoff: text("cutoff").notNull(),
  /** Failures received up to this instant (the moment of Reprocess) are in scope. */
  upTo: text("up_to").notNull(),
  total: integer("total").notNull().default(0),
  reclassified: integer("reclassified").notNull().default(0),
  stillFailing: integer("still_failing").notNull().default(0),
  tooOld: integer("too_old").notNull().default(0),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  finishedAt: text("finished_at"),
});

// Alert destinations and delivery --------------------------------------------------------------

export const OUTPUT_TYPES = ["customwebhook", "slack", "msteams", "pagerduty", "opsgenie"] as const;
export const DELIVERY_STATUSES = ["PENDING", "RETRYING", "DELIVERED", "FAILED"] as const;

export const destinations = sqliteTable("destinations", {
  id: text("id").primaryKey(),
  displayName: text("display_name").notNull().unique(),
  outputType: text("output_type", { enum: OUTPUT_TYPES }).notNull(),
  config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  secrets: text("secrets", { mode: "json" }).$type<Record<string, string>>().notNull(),
  alertTypes: text("alert_types", { mode: "json" }).$type<string[]>().notNull(),
  defaultForSeverity: text("default_for_severity", { mode: "json" }).$type<string[]>().notNull(),
  sendResolved: integer("send_resolved", { mode: "boolean" }).notNull().default(false),
  /** Failed attempts in a row, across all its alerts; 3 raise ALERT_DELIVERY. */
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const deliveries = sqliteTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    alertId: text("alert_id").notNull(),
    outputId: text("output_id").notNull(),
    /** ALERT (the alert itself), RESOLVED (its resolution) or TEST. */
    kind: text("kind", { enum: ["ALERT", "RESOLVED", "TEST"] }).notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull(),
    success: integer("success", { mode: "boolean" }).notNull().default(false),
    statusCode: integer("status_code"),
    message: text("message").notNull().default(""),
    attempts: integer("attempts").notNull().default(0),
    /** Same on every retry, so receivers can deduplicate (Standard Webhooks `webhook-id`). */
    webhookId: text("webhook_id").notNull(),
    dispatchedAt: text("dispatched_at").notNull(),
    lastAttemptAt: text("last_attempt_at"),
    nextAttemptAt: text("next_attempt_at"),
  },
  (t) => [index("deliveries_alert").on(t.alertId), index("deliveries_status").on(t.status, t.dispatchedAt)],
);

export const deliveryAttempts = sqliteTable(
  "delivery_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id").notNull(),
    attempt: integer("attempt").notNull(),
    at: text("at").notNull(),
    success: integer("success", { mode: "boolean" }).notNull(),
    statusCode: integer("status_code"),
    message: text("message").notNull(),
    responseExcerpt: text("response_excerpt"),
    durationMs: integer("duration_ms").notNull(),
  },
  // One row per attempt number: a re-delivered queue message cannot record an attempt twice.
  (t) => [uniqueIndex("delivery_attempts_unique").on(t.deliveryId, t.attempt)],
);
