import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";

// The data lake (the LAKE database). D1 allows 100 columns a table and has one writer, so every
// log type shares one events table: the `p_` fields are columns, the event itself is one JSON
// value, and each log type is queryable through its own view (see lake/views.ts).

export const events = sqliteTable(
  "events",
  {
    /** Derived from the batch and the line's position, so a retried batch inserts nothing twice. */
    pRowId: text("p_row_id").notNull(),
    pLogType: text("p_log_type").notNull(),
    pEventTime: text("p_event_time").notNull(),
    pParseTime: text("p_parse_time").notNull(),
    pSourceId: text("p_source_id").notNull(),
    pSourceLabel: text("p_source_label").notNull(),
    /** The p_any_* indicator arrays as one JSON object ({"p_any_ip_addresses": [...]}), or null. */
    pAny: text("p_any"),
    body: text("body").notNull(),
  },
  (t) => [
    uniqueIndex("events_row_id").on(t.pRowId),
    index("events_type_time").on(t.pLogType, t.pEventTime),
    index("events_source_parse_time").on(t.pSourceId, t.pParseTime),
  ],
);

export const classificationFailures = sqliteTable(
  "classification_failures",
  {
    pRowId: text("p_row_id").notNull(),
    pSourceId: text("p_source_id").notNull(),
    pSourceLabel: text("p_source_label").notNull(),
    pParseTime: text("p_parse_time").notNull(),
    /** The raw line; lines over the per-line limit keep their first 64 KB. */
    payload: text("payload").notNull(),
    payloadLength: integer("payload_length").notNull(),
    /** SHA-256 of the whole line, set when the payload was truncated. */
    payloadSha256: text("payload_sha256"),
    error: text("error").notNull(),
    /** JSON path of the field at fault, when the failure names one. */
    errorPath: text("error_path"),
    /** Each schema tried and why it refused the line: [{"schema": ..., "error": ...}]. */
    schemasTried: text("schemas_tried").notNull(),
    status: text("status", { enum: ["FAILED", "REPROCESSED", "SKIPPED"] }).notNull().default("FAILED"),
    statusChangedAt: text("status_changed_at"),
    /** The reprocessing job that last tried this line; its counts are read back from here. */
    jobId: text("job_id"),
  },
  (t) => [
    uniqueIndex("classification_failures_row_id").on(t.pRowId),
    index("classification_failures_source").on(t.pSourceId, t.status, t.pParseTime),
    index("classification_failures_job").on(t.jobId, t.status),
  ],
);

/**
 * Answers to batches sent with an Idempotency-Key, kept 24 hours. Written in the same D1 batch as
 * the batch's last chunk, so an answer exists only for a batch that is fully stored.
 */
export const ingestBatches = sqliteTable(
  "ingest_batches",
  {
    sourceId: text("source_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    answer: text("answer").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("ingest_batches_key").on(t.sourceId, t.idempotencyKey), index("ingest_batches_created").on(t.createdAt)],
);
