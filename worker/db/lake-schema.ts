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

/**
 * One row per S3 object read, as Panther's panther_monitor.data_audit: what was read (bucket,
 * key, ETag, size), whether it worked and why not, how many records it held, and with which
 * role. Append-only: a failed object read again later gets a row for each read.
 */
export const dataAudit = sqliteTable(
  "data_audit",
  {
    /** The object's id and the read's number (see s3/ledger.ts), so a repeated read records once. */
    pRowId: text("p_row_id").notNull(),
    pSourceId: text("p_source_id").notNull(),
    pSourceLabel: text("p_source_label").notNull(),
    /** When the read finished. */
    pParseTime: text("p_parse_time").notNull(),
    operation: text("operation").notNull(),
    status: text("status", { enum: ["SUCCESS", "FAILURE"] }).notNull(),
    /** AWS's error code (AccessDenied, NoSuchKey) or ours (CorruptData, TooLarge); FAILURE only. */
    errorCode: text("error_code"),
    error: text("error"),
    s3Bucket: text("s3_bucket").notNull(),
    s3Key: text("s3_key").notNull(),
    s3ETag: text("s3_etag").notNull(),
    /** Bytes as stored in S3 (compressed); -1 when unknown. */
    s3ObjectSize: integer("s3_object_size").notNull(),
    s3LastModified: text("s3_last_modified"),
    /** Lines read (0 on failure), and how they were classified. */
    recordCount: integer("record_count").notNull().default(0),
    classifiedCount: integer("classified_count").notNull().default(0),
    failedCount: integer("failed_count").notNull().default(0),
    /** Decompressed bytes. */
    bytesProcessed: integer("bytes_processed").notNull().default(0),
    /** The role assumed for the read; null when the source uses an access key. */
    assumedRoleArn: text("assumed_role_arn"),
  },
  (t) => [
    uniqueIndex("data_audit_row_id").on(t.pRowId),
    index("data_audit_time").on(t.pParseTime, t.pRowId),
    index("data_audit_source_status").on(t.pSourceId, t.status, t.pParseTime),
  ],
);

/**
 * The S3 poller's ledger: one row per object version (source, bucket, key, ETag) ever listed.
 * Claimed with one upsert, so an object is queued once however often it is listed, and a new
 * ETag (the object was overwritten) is a new object. Rows go when their object passes the age
 * past which listings ignore objects (see s3/poll.ts), so nothing is read twice.
 */
export const s3Objects = sqliteTable(
  "s3_objects",
  {
    sourceId: text("source_id").notNull(),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    lastModified: text("last_modified").notNull(),
    state: text("state", { enum: ["QUEUED", "DONE", "FAILED"] }).notNull(),
    /** Reads that ended in FAILURE. */
    failures: integer("failures").notNull().default(0),
    /** Whether a FAILED object may be read again (access errors may be fixed; corrupt data stays corrupt). */
    retryable: integer("retryable", { mode: "boolean" }).notNull().default(false),
    queuedAt: text("queued_at").notNull(),
    finishedAt: text("finished_at"),
  },
  (t) => [uniqueIndex("s3_objects_object").on(t.sourceId, t.bucket, t.key, t.etag), index("s3_objects_last_modified").on(t.lastModified)],
);

/**
 * Where the poller's sweep of a (source, prefix) stopped, when a listing was too long for one
 * poll. Only splits long listings over polls: what is new is decided by s3_objects, not by this.
 */
export const s3Listings = sqliteTable(
  "s3_listings",
  {
    sourceId: text("source_id").notNull(),
    prefix: text("prefix").notNull(),
    continuationToken: text("continuation_token"),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("s3_listings_key").on(t.sourceId, t.prefix)],
);
