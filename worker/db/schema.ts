import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";

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
});

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
