import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { BASE } from "./api";

export const SECRET_HEADER = "X-Pipewatch-Secret";
export const SECRET = "s3cret-value-123";

export interface IngestAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** Posts a batch to a source's ingest URL, with its shared secret unless told otherwise. */
export async function ingest(
  sourceId: string,
  body: BodyInit | Uint8Array,
  init: { headers?: Record<string, string>; secret?: string | null } = {},
): Promise<IngestAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  const secret = init.secret === undefined ? SECRET : init.secret;
  if (secret !== null) headers[SECRET_HEADER] = secret;
  const res = await exports.default.fetch(`${BASE}/http/${sourceId}`, { method: "POST", headers, body: body as BodyInit });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export const ndjson = (rows: unknown[]) => rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");

export async function lakeCounts(sourceId: string) {
  const row = await env.LAKE.prepare(
    "SELECT (SELECT count(*) FROM events WHERE p_source_id = ?1) AS events, (SELECT count(*) FROM classification_failures WHERE p_source_id = ?1) AS failures",
  )
    .bind(sourceId)
    .first<{ events: number; failures: number }>();
  return row!;
}

/** Every row id of a source, events and failures together. */
export async function rowIds(sourceId: string): Promise<string[]> {
  const { results } = await env.LAKE.prepare(
    "SELECT p_row_id FROM events WHERE p_source_id = ?1 UNION ALL SELECT p_row_id FROM classification_failures WHERE p_source_id = ?1",
  )
    .bind(sourceId)
    .all<{ p_row_id: string }>();
  return results.map((r) => r.p_row_id);
}

export async function gzipBytes(parts: Iterable<Uint8Array>): Promise<Uint8Array> {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(p);
      controller.close();
    },
  }).pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
