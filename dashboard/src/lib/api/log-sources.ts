import type { InferRequestType, InferResponseType } from "hono/client";
import { client } from "./client";

const sources = client.api["log-sources"];

/** A row of the list of all sources (http, s3, audit). */
export type LogSourceSummary = InferResponseType<typeof sources.$get, 200>["results"][number];
/** An HTTP source as the API shows it: secrets masked, with its ingest URL. */
export type HttpSource = InferResponseType<(typeof sources.http)[":id"]["$get"], 200>;
export type HttpSourceInput = InferRequestType<typeof sources.http.$post>["json"];
export type HttpSourceUpdate = InferRequestType<(typeof sources.http)[":id"]["$put"]>["json"];
export type AuthMethod = HttpSourceInput["authMethod"];
export type LogStreamType = HttpSourceInput["logStreamType"];
export type HmacAlgorithm = NonNullable<HttpSourceInput["authHmacAlg"]>;

export const AUTH_METHODS: readonly AuthMethod[] = ["SharedSecret", "HMAC", "Bearer", "Basic", "None"];
export const LOG_STREAM_TYPES: readonly LogStreamType[] = ["Auto", "JSON", "JsonArray", "Lines"];
export const HMAC_ALGORITHMS: readonly HmacAlgorithm[] = ["sha256", "sha512", "sha1"];

/** Every source, following the list's cursor to the end. */
export async function listLogSources(): Promise<LogSourceSummary[]> {
  const all: LogSourceSummary[] = [];
  let cursor: string | undefined;
  do {
    const res = await sources.$get({ query: { limit: "100", ...(cursor ? { cursor } : {}) } });
    const page = await res.json();
    all.push(...page.results);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all;
}

export async function getHttpSource(id: string): Promise<HttpSource> {
  const res = await sources.http[":id"].$get({ param: { id } });
  return res.json();
}

export async function createHttpSource(input: HttpSourceInput): Promise<HttpSource> {
  const res = await sources.http.$post({ json: input });
  return res.json();
}

export async function updateHttpSource(id: string, update: HttpSourceUpdate): Promise<HttpSource> {
  const res = await sources.http[":id"].$put({ param: { id }, json: update });
  return res.json();
}

export async function deleteHttpSource(id: string): Promise<void> {
  await sources.http[":id"].$delete({ param: { id } });
}

/** Any source by id: the full view for HTTP sources, the list row for the others. */
export type AnyLogSource = InferResponseType<(typeof sources)[":id"]["$get"], 200>;

export async function getLogSource(id: string): Promise<AnyLogSource> {
  const res = await sources[":id"].$get({ param: { id } });
  return res.json();
}

export function isHttpSource(source: AnyLogSource): source is HttpSource {
  return source.integrationType === "http" && "ingestUrl" in source;
}

export type SourceHealth = InferResponseType<(typeof sources)[":id"]["health"]["$get"], 200>;

export async function getSourceHealth(id: string): Promise<SourceHealth> {
  const res = await sources[":id"].health.$get({ param: { id } });
  return res.json();
}

/** Runs the source's checks now instead of waiting for the next cron. */
export async function runHealthCheck(id: string): Promise<SourceHealth> {
  const res = await sources[":id"]["health-check"].$post({ param: { id } });
  return res.json();
}

export type SourceMetrics = InferResponseType<(typeof sources)[":id"]["metrics"]["$get"], 200>;

/** Events and failures over time, bucketed by `intervalMinutes`. */
export async function getSourceMetrics(id: string, range: { from: string; to: string; intervalMinutes: number }): Promise<SourceMetrics> {
  const res = await sources[":id"].metrics.$get({ param: { id }, query: { ...range, intervalMinutes: String(range.intervalMinutes) } });
  return res.json();
}
