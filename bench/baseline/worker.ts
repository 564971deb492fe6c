/**
 * Baseline Worker for `npm run bench`: the least a Worker can do with a shipper's batch.
 *
 *   POST /parse    read the body (gunzip when it starts with the gzip magic bytes), JSON.parse
 *                  each non-blank line, answer the counts. The floor Pipewatch is compared to.
 *   POST /rows     the same, then store every event with its own INSERT statement (row per event),
 *                  500 statements per D1 batch, into a copy of the lake's events table.
 *   POST /bulk     the same, then store 500 events per statement through json_each, as the lake
 *                  writer does.
 *   POST /monitor  /parse, then one SourceMonitor.recordBatch call (Pipewatch's own Durable Object
 *                  class), so the cost of the per-batch monitor call can be read as a difference.
 *
 * No authentication, no classification, no idempotency: it is a yardstick, not a pipeline.
 */
import { SourceMonitor } from "../../worker/sources/source-monitor";

export { SourceMonitor };

interface BaselineEnv {
  DB: D1Database;
  SOURCE_MONITOR: DurableObjectNamespace<SourceMonitor>;
}

/** Rows per D1 batch (rows) or per statement (bulk): Pipewatch's decoder hands the writer 500 at a time. */
const CHUNK = 500;
const SOURCE_ID = "baseline";
const LOG_TYPE = "AWS.CloudTrail";

// The lake's events table and indexes (migrations/lake/0000_lake.sql), so a write costs the same.
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (p_row_id text NOT NULL, p_log_type text NOT NULL, p_event_time text NOT NULL,
     p_parse_time text NOT NULL, p_source_id text NOT NULL, p_source_label text NOT NULL, p_any text, body text NOT NULL)`,
  "CREATE UNIQUE INDEX IF NOT EXISTS events_row_id ON events (p_row_id)",
  "CREATE INDEX IF NOT EXISTS events_type_time ON events (p_log_type, p_event_time)",
  "CREATE INDEX IF NOT EXISTS events_source_parse_time ON events (p_source_id, p_parse_time)",
];
const INSERT_ROW = `INSERT INTO events (p_row_id, p_log_type, p_event_time, p_parse_time, p_source_id, p_source_label, p_any, body)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (p_row_id) DO NOTHING`;
const INSERT_BULK = `INSERT INTO events (p_row_id, p_log_type, p_event_time, p_parse_time, p_source_id, p_source_label, p_any, body)
SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7 FROM json_each(?1) WHERE true
ON CONFLICT (p_row_id) DO NOTHING`;

let schemaReady: Promise<unknown> | null = null;
let monitorReady: Promise<unknown> | null = null;

async function readBody(request: Request): Promise<{ bytes: Uint8Array; text: string }> {
  let bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const inflated = new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")));
    bytes = new Uint8Array(await inflated.arrayBuffer());
  }
  return { bytes, text: new TextDecoder().decode(bytes) };
}

function parseLines(text: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    events.push(JSON.parse(line) as Record<string, unknown>);
  }
  return events;
}

async function batchPrefix(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}

function tuples(events: Record<string, unknown>[], prefix: string, parseTime: string): unknown[][] {
  return events.map((event, i) => [
    `${prefix}${i.toString(36).padStart(5, "0")}`,
    LOG_TYPE,
    typeof event.eventTime === "string" ? event.eventTime : parseTime,
    parseTime,
    SOURCE_ID,
    "Baseline",
    null,
    event,
  ]);
}

async function store(env: BaselineEnv, rows: unknown[][], mode: "rows" | "bulk") {
  schemaReady ??= env.DB.batch(SCHEMA.map((s) => env.DB.prepare(s)));
  await schemaReady;
  for (let from = 0; from < rows.length; from += CHUNK) {
    const chunk = rows.slice(from, from + CHUNK);
    if (mode === "rows") {
      await env.DB.batch(chunk.map((r) => env.DB.prepare(INSERT_ROW).bind(...r.slice(0, 7), JSON.stringify(r[7]))));
    } else {
      await env.DB.batch([env.DB.prepare(INSERT_BULK).bind(JSON.stringify(chunk))]);
    }
  }
}

async function recordBatch(env: BaselineEnv, receivedAt: number, bytes: number, events: number) {
  const monitor = env.SOURCE_MONITOR.getByName("baseline-monitor");
  // The same state as a Pipewatch source: named, with the default 24-hour drop-off alarm.
  monitorReady ??= monitor.configure({ id: SOURCE_ID, label: "Baseline", type: "http", minutesThreshold: 1440, enabled: true });
  await monitorReady;
  await monitor.recordBatch({ receivedAt, bytes, eventsByLogType: { [LOG_TYPE]: events }, failuresByLogType: {} });
}

export default {
  async fetch(request: Request, env: BaselineEnv): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/health") return Response.json({ status: "ok" });
    if (request.method !== "POST") return new Response("not found", { status: 404 });
    const receivedAt = Date.now();
    const route = url.pathname.slice(1);
    if (!["parse", "rows", "bulk", "monitor"].includes(route)) return new Response("not found", { status: 404 });
    const { bytes, text } = await readBody(request);
    const events = parseLines(text);
    if (route === "rows" || route === "bulk") {
      const rows = tuples(events, await batchPrefix(bytes), new Date(receivedAt).toISOString());
      await store(env, rows, route);
    } else if (route === "monitor") {
      await recordBatch(env, receivedAt, bytes.byteLength, events.length);
    }
    return Response.json({ accepted: events.length, classified: events.length, failed: 0 });
  },
};
