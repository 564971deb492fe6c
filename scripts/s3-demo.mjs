// An S3 source for demos: sample log objects in a bucket of a local S3 server, and the source
// that polls them. `npm run demo` can call createDemoS3Source(); run alone, this script starts a
// local S3 server itself unless S3_ENDPOINT names one, and keeps it up until Ctrl-C:
//
//   PIPEWATCH_API=http://127.0.0.1:8787 [PIPEWATCH_TOKEN=...] [S3_ENDPOINT=http://127.0.0.1:4568] node scripts/s3-demo.mjs
//
// The token defaults to ADMIN_TOKEN of .dev.vars. The Worker polls the bucket every minute (the
// `npm start` cron ticker) and reads each object through the JOBS queue.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { AwsClient } from "aws4fetch";
import { LOCAL_S3_KEY, startLocalS3 } from "./s3-local.mjs";

const ROOT = resolve(import.meta.dirname, "..");
export const DEMO_LOG_TYPE = "Custom.S3Demo";
const DEMO_SCHEMA = `version: 0
fields:
  - name: message
    type: string
    required: true
  - name: time
    type: timestamp
    timeFormat: rfc3339
    isEventTime: true
    required: true
  - name: user
    type: string
    indicators: [username]
  - name: srcIp
    type: string
    indicators: [ip]
`;

async function call(apiUrl, token, method, path, body) {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function sampleLines(count, from = Date.now()) {
  const users = ["alice", "bob", "carol"];
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ message: `login ${i}`, time: new Date(from - i * 1000).toISOString(), user: users[i % 3], srcIp: `198.51.100.${i % 250}` }),
  ).join("\n");
}

/**
 * Uploads sample objects (plain NDJSON, gzip, and with `withFailure` a corrupt gzip that shows
 * SOURCE_LOG_PROCESSING_ERRORS) and creates the source, or finds it by label. Answers the source.
 */
export async function createDemoS3Source({ apiUrl, token, endpoint, bucket = "pipewatch-demo", label = "Demo bucket (local S3)", withFailure = false }) {
  const s3 = new AwsClient({ ...LOCAL_S3_KEY, service: "s3", region: "us-east-1", retries: 0 });
  await s3.fetch(`${endpoint}/${bucket}`, { method: "PUT" }).then((r) => r.arrayBuffer());
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
  const stamp = Date.now();
  const objects = [
    [`app/${day}/${stamp}-1.json`, sampleLines(20)],
    [`app/${day}/${stamp}-2.json.gz`, gzipSync(sampleLines(50))],
    ...(withFailure ? [[`app/${day}/${stamp}-corrupt.json.gz`, gzipSync(sampleLines(50)).fill(0x41, 12, 40)]] : []),
  ];
  for (const [key, body] of objects) {
    const res = await s3.fetch(`${endpoint}/${bucket}/${key}`, { method: "PUT", body });
    if (!res.ok) throw new Error(`PUT ${key}: ${res.status} ${await res.text()}`);
  }

  if ((await call(apiUrl, token, "GET", `/api/schemas/${DEMO_LOG_TYPE}`)).status === 404) {
    const put = await call(apiUrl, token, "PUT", `/api/schemas/${DEMO_LOG_TYPE}`, { spec: DEMO_SCHEMA, description: "Sample login events of the S3 demo" });
    if (put.status >= 300) throw new Error(`schema: ${put.status} ${JSON.stringify(put.body)}`);
  }
  const created = await call(apiUrl, token, "POST", "/api/log-sources/s3", {
    integrationLabel: label,
    s3Bucket: bucket,
    region: "us-east-1",
    endpoint,
    logStreamType: "Lines",
    s3PrefixLogTypes: [{ prefix: "app/", logTypes: [DEMO_LOG_TYPE], excludedPrefixes: [] }],
    ...LOCAL_S3_KEY,
    dropOffAlarm: null,
  });
  if (created.status === 201) return created.body;
  if (created.status === 409) {
    const list = await call(apiUrl, token, "GET", "/api/log-sources/s3?limit=100");
    const found = list.body.results.find((s) => s.integrationLabel === label);
    if (found) return found;
  }
  throw new Error(`S3 source: ${created.status} ${JSON.stringify(created.body)}`);
}

function devToken() {
  const vars = readFileSync(join(ROOT, ".dev.vars"), "utf8");
  const token = /^ADMIN_TOKEN=(.+)$/m.exec(vars)?.[1]?.trim();
  if (!token) throw new Error(".dev.vars has no ADMIN_TOKEN; run npm start once, or set PIPEWATCH_TOKEN");
  return token;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const apiUrl = process.env.PIPEWATCH_API ?? "http://127.0.0.1:8787";
  const token = process.env.PIPEWATCH_TOKEN ?? devToken();
  const local = process.env.S3_ENDPOINT ? null : await startLocalS3({ directory: join(ROOT, ".wrangler", "s3rver") });
  const endpoint = process.env.S3_ENDPOINT ?? local.endpoint;
  try {
    const source = await createDemoS3Source({ apiUrl, token, endpoint, withFailure: process.env.S3_DEMO_FAILURE === "1" });
    console.log(`S3 source ${source.integrationLabel} (${source.integrationId}) polls ${endpoint}/${source.s3Bucket}`);
  } catch (err) {
    await local?.stop();
    throw err;
  }
  if (local) {
    console.log("Local S3 server running; Ctrl-C stops it.");
    for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => void local.stop().then(() => process.exit(0)));
  }
}
