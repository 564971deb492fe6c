import { AwsClient } from "aws4fetch";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { logSources } from "../../worker/db/schema";
import { pollSource, type PollOptions } from "../../worker/s3/poll";
import type { JobMessage } from "../../worker/jobs/messages";
import { api, env } from "./api";
import { unique } from "./factories";

/** The local S3 server (s3rver) that test/s3rver-setup.mjs starts for the run. */
export const S3_ENDPOINT = env.TEST_S3_ENDPOINT;
/** The one access key s3rver knows. */
export const S3_KEY = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

const admin = new AwsClient({ ...S3_KEY, service: "s3", region: "us-east-1", retries: 0 });

async function s3(method: string, path: string, body?: BodyInit): Promise<Response> {
  const res = await admin.fetch(`${S3_ENDPOINT}/${path}`, { method, body });
  if (!res.ok) throw new Error(`${method} /${path}: ${res.status} ${await res.text()}`);
  await res.body?.cancel();
  return res;
}

/** A new bucket of the local S3 server, named for the test (buckets outlive test files). */
export async function createBucket(prefix = "pw"): Promise<string> {
  const name = `${prefix}-${crypto.randomUUID().slice(0, 12)}`;
  await s3("PUT", name);
  return name;
}

const encodeKey = (key: string) => key.split("/").map(encodeURIComponent).join("/");

export const putObject = (bucket: string, key: string, body: string | Uint8Array) => s3("PUT", `${bucket}/${encodeKey(key)}`, body as BodyInit);
export const deleteObject = (bucket: string, key: string) => s3("DELETE", `${bucket}/${encodeKey(key)}`);

export function s3SourceBody(bucket: string, overrides: Record<string, unknown> = {}) {
  return {
    integrationLabel: unique("bucket"),
    s3Bucket: bucket,
    region: "us-east-1",
    endpoint: S3_ENDPOINT,
    logStreamType: "Lines",
    s3PrefixLogTypes: [{ prefix: "", logTypes: ["Custom.Test"], excludedPrefixes: [] }],
    ...S3_KEY,
    ...overrides,
  };
}

export async function createS3Source(bucket: string, overrides: Record<string, unknown> = {}) {
  const res = await api("/api/log-sources/s3", { body: s3SourceBody(bucket, overrides) });
  if (res.status !== 201) throw new Error(`S3 source: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The source's row, as the poller and the consumer read it. */
export async function sourceRow(id: string) {
  return (await drizzle(env.DB).select().from(logSources).where(eq(logSources.id, id)).get())!;
}

export async function auditRows(sourceId: string) {
  const res = await api(`/api/monitor/data_audit?sourceId=${sourceId}&limit=100`);
  return res.body.results as any[];
}

/** Polls a source as the s3-poll job does, keeping the messages it would queue instead of sending them. */
export async function pollCapturing(sourceId: string, opts: Omit<PollOptions, "send"> = {}) {
  const sent: JobMessage[] = [];
  const send = async (messages: JobMessage[]) => {
    sent.push(...messages);
  };
  const result = await pollSource(env, await sourceRow(sourceId), { ...opts, send });
  return { ...result, messages: sent };
}
