/**
 * Bulk writes to the lake. D1 allows 100 bound parameters and 100 KB of SQL per statement, and
 * 2 MB per value: rows travel as one JSON parameter per statement, unpacked by json_each, so a
 * chunk of hundreds of rows is one short statement. `ON CONFLICT DO NOTHING` on p_row_id makes a
 * retried batch store each line once.
 */

export interface EventRow {
  rowId: string;
  logType: string;
  eventTime: string;
  parseTime: string;
  sourceId: string;
  sourceLabel: string;
  /** p_any_* arrays, or null when the event has no indicators. */
  pAny: Record<string, string[]> | null;
  /** The normalized event, without p_ fields. */
  body: Record<string, unknown>;
}

export interface FailureRow {
  rowId: string;
  sourceId: string;
  sourceLabel: string;
  parseTime: string;
  payload: string;
  payloadLength: number;
  payloadSha256: string | null;
  error: string;
  errorPath: string | null;
  schemasTried: { schema: string; error: string }[];
}

/** Keeps each JSON parameter well under D1's 2 MB value limit. */
const MAX_PARAM_BYTES = 1_500_000;

const INSERT_EVENTS = `INSERT INTO events (p_row_id, p_log_type, p_event_time, p_parse_time, p_source_id, p_source_label, p_any, body)
SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7 FROM json_each(?1) WHERE true
ON CONFLICT (p_row_id) DO NOTHING`;

const INSERT_FAILURES = `INSERT INTO classification_failures (p_row_id, p_source_id, p_source_label, p_parse_time, payload, payload_length, payload_sha256, error, error_path, schemas_tried)
SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9 FROM json_each(?1) WHERE true
ON CONFLICT (p_row_id) DO NOTHING`;

/** Splits serialized rows into JSON arrays of at most MAX_PARAM_BYTES each. */
export function packRows(rows: string[]): string[] {
  const packs: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    if (current.length && size + row.length + 1 > MAX_PARAM_BYTES) {
      packs.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(row);
    size += row.length + 1;
  }
  if (current.length) packs.push(`[${current.join(",")}]`);
  return packs;
}

const eventTuple = (e: EventRow) =>
  JSON.stringify([e.rowId, e.logType, e.eventTime, e.parseTime, e.sourceId, e.sourceLabel, e.pAny, e.body]);

const failureTuple = (f: FailureRow) =>
  JSON.stringify([f.rowId, f.sourceId, f.sourceLabel, f.parseTime, f.payload, f.payloadLength, f.payloadSha256, f.error, f.errorPath, f.schemasTried]);

/** The statements that store a chunk; run them in one `LAKE.batch()` so a chunk is all or nothing. */
export function chunkStatements(lake: D1Database, events: EventRow[], failures: FailureRow[]): D1PreparedStatement[] {
  return [
    ...packRows(events.map(eventTuple)).map((p) => lake.prepare(INSERT_EVENTS).bind(p)),
    ...packRows(failures.map(failureTuple)).map((p) => lake.prepare(INSERT_FAILURES).bind(p)),
  ];
}
