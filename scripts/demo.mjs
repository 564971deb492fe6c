// `npm run demo`: fills a running local Pipewatch (`npm start` in another terminal) with something
// to look at, through the public API only: sample schemas, three HTTP sources, good traffic, a few
// lines that fail classification (a System Error you can fix), and a source that goes quiet so its
// drop-off alarm fires a minute later. Then it keeps a trickle of good events flowing for a minute.
//
//   npm run demo                 everything, then a trickle of events for about a minute
//   npm run demo -- --once       no trickle
//   npm run demo -- --seconds 30 a shorter (or longer, up to 600 s) trickle
//
// Environment: PIPEWATCH_API_URL (default http://127.0.0.1:8787, or PORT), PIPEWATCH_TOKEN (default
// ADMIN_TOKEN of .dev.vars), PIPEWATCH_DASHBOARD_URL (default http://localhost:5173, or
// DASHBOARD_PORT). With S3_ENDPOINT (a local S3 server: node scripts/s3-local.mjs, or s3rver) it
// also fills a bucket and creates an S3 source (scripts/s3-demo.mjs), if this Pipewatch has S3
// sources. Running it again reuses what it made.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const once = args.includes("--once");
const secondsArg = args.indexOf("--seconds");
const trickleSeconds = Math.min(600, Math.max(0, Number(secondsArg >= 0 ? args[secondsArg + 1] : 60) || 0));

const API = (process.env.PIPEWATCH_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`).replace(/\/+$/, "");
const DASHBOARD = (process.env.PIPEWATCH_DASHBOARD_URL ?? `http://localhost:${process.env.DASHBOARD_PORT ?? 5173}`).replace(/\/+$/, "");
const link = (path) => `${DASHBOARD}/#${path}`;

const LABELS = { cloudtrail: "Demo CloudTrail", nginx: "Demo Nginx", quiet: "Demo quiet source" };
const SECRET_HEADER = "X-Pipewatch-Secret";

function fail(message) {
  console.error(`\n${message}`);
  process.exit(1);
}

function adminToken() {
  if (process.env.PIPEWATCH_TOKEN) return process.env.PIPEWATCH_TOKEN.trim();
  const path = join(ROOT, ".dev.vars");
  const token = existsSync(path) ? /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(path, "utf8"))?.[1]?.trim() : undefined;
  if (!token || token === "__GENERATED__") {
    fail("No admin token: run `npm start` first (it writes .dev.vars), or set PIPEWATCH_TOKEN.");
  }
  return token;
}

const TOKEN = adminToken();

/** Ingest secrets derived from the admin token, so a second run can still send to the sources of the first. */
const derivedSecret = (label) => `demo_${createHash("sha256").update(`${TOKEN}\n${label}`).digest("base64url").slice(0, 32)}`;

async function api(method, path, body, { ok = [200, 201, 202] } = {}) {
  let res;
  try {
    res = await fetch(`${API}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    fail(`Cannot reach Pipewatch at ${API} (${err?.cause?.code ?? err?.cause?.errors?.[0]?.code ?? err.message}). Is \`npm start\` running?`);
  }
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!ok.includes(res.status)) {
    const error = parsed?.error;
    const details = error?.details?.map((d) => `\n    ${d.path}: ${d.message}`).join("") ?? "";
    throw Object.assign(new Error(`${method} ${path} → ${res.status} ${error?.message ?? text.slice(0, 300)}${details}`), { status: res.status, body: parsed });
  }
  return { status: res.status, body: parsed };
}

async function listAll(path) {
  const out = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const { body } = await api("GET", `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    out.push(...body.results);
    cursor = body.next;
  } while (cursor);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sample data, stamped now

const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
const ACCOUNT = "123456789012";
const USERS = ["alice", "bob", "carol", "deploy-bot"];
const CALLS = [
  ["s3.amazonaws.com", "GetObject"],
  ["s3.amazonaws.com", "PutObject"],
  ["ec2.amazonaws.com", "DescribeInstances"],
  ["iam.amazonaws.com", "CreateAccessKey"],
  ["sts.amazonaws.com", "AssumeRole"],
  ["signin.amazonaws.com", "ConsoleLogin"],
];
const ip = () => `${pick([10, 172, 192, 203, 198])}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

function cloudTrailEvent(at = new Date()) {
  const user = pick(USERS);
  const [eventSource, eventName] = pick(CALLS);
  return {
    eventVersion: "1.09",
    userIdentity: { type: "IAMUser", principalId: `AIDA${randomBytes(8).toString("hex").toUpperCase()}`, arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, accountId: ACCOUNT, userName: user },
    eventTime: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource,
    eventName,
    awsRegion: pick(["us-east-1", "eu-west-1"]),
    sourceIPAddress: ip(),
    userAgent: pick(["aws-cli/2.15.30", "Boto3/1.34.69", "console.amazonaws.com"]),
    requestParameters: eventSource === "s3.amazonaws.com" ? { bucketName: "demo-logs", key: `app/${randomUUID()}.json` } : null,
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: eventName.startsWith("Get") || eventName.startsWith("Describe"),
    eventType: eventName === "ConsoleLogin" ? "AwsConsoleSignIn" : "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** nginx's $time_local, in UTC: 29/Nov/2026:10:00:00 +0000 */
function timeLocal(at) {
  const p = (n) => String(n).padStart(2, "0");
  return `${p(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())} +0000`;
}

function nginxLine(at = new Date(), method = pick(["GET", "GET", "GET", "POST", "HEAD"])) {
  const uri = pick(["/", "/login", "/api/orders", "/static/app.js", "/health", "/remote.php/dav/files/alice"]);
  return {
    time_local: timeLocal(at),
    remote_addr: ip(),
    remote_user: "",
    request_method: method,
    request_uri: uri,
    server_protocol: "HTTP/1.1",
    status: method === "PROPFIND" ? 207 : pick([200, 200, 200, 301, 404, 500]),
    body_bytes_sent: Math.floor(Math.random() * 50_000),
    request_time: Math.round(Math.random() * 500) / 1000,
    http_referer: "",
    http_user_agent: pick(["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "Microsoft-WebDAV-MiniRedir/10.0.19045"]),
    host: "shop.example.com",
  };
}

const ndjson = (events) => `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;

// Fallbacks when the fixtures of test/ are not there (they are in a clone of the repository).
const INLINE_SCHEMAS = {
  "AWS.CloudTrail": `schema: AWS.CloudTrail
description: AWS API calls recorded by CloudTrail, one record per line.
version: 0
fields:
  - { name: eventVersion, type: string, required: true }
  - { name: userIdentity, type: json }
  - { name: eventTime, type: timestamp, timeFormat: rfc3339, isEventTime: true, required: true }
  - { name: eventSource, type: string, required: true, indicators: [domain] }
  - { name: eventName, type: string, required: true }
  - { name: awsRegion, type: string, required: true }
  - { name: sourceIPAddress, type: string, indicators: [hostname] }
  - { name: userAgent, type: string }
  - { name: requestParameters, type: json }
  - { name: responseElements, type: json }
  - { name: requestID, type: string }
  - { name: eventID, type: string, required: true }
  - { name: readOnly, type: boolean }
  - { name: eventType, type: string, required: true }
  - { name: managementEvent, type: boolean }
  - { name: recipientAccountId, type: string, indicators: [aws_account_id] }
`,
  "Custom.Nginx": `schema: Custom.Nginx
description: nginx access log lines in JSON.
version: 0
fields:
  - { name: time_local, type: timestamp, timeFormat: "%d/%b/%Y:%H:%M:%S %z", isEventTime: true, required: true }
  - { name: remote_addr, type: string, required: true, indicators: [ip] }
  - { name: remote_user, type: string }
  - name: request_method
    type: string
    validate:
      allow: [GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, CONNECT, TRACE]
  - { name: request_uri, type: string }
  - { name: server_protocol, type: string }
  - { name: status, type: smallint, required: true }
  - { name: body_bytes_sent, type: bigint }
  - { name: request_time, type: float }
  - { name: http_referer, type: string }
  - { name: http_user_agent, type: string }
  - { name: host, type: string, indicators: [hostname] }
`,
};

/** Sample schemas: every fixture of test/fixtures/schemas, else the two inline ones. */
function sampleSchemas() {
  const dir = join(ROOT, "test", "fixtures", "schemas");
  const found = new Map();
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).sort()) {
      const spec = readFileSync(join(dir, file), "utf8");
      const name = /^schema:\s*(\S+)\s*$/m.exec(spec)?.[1];
      if (name) found.set(name, spec);
    }
  }
  for (const [name, spec] of Object.entries(INLINE_SCHEMAS)) if (!found.has(name)) found.set(name, spec);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Sources

async function findSource(label) {
  const all = await listAll("/api/log-sources");
  return all.find((s) => s.integrationLabel === label) ?? null;
}

/**
 * The HTTP source with this label: created when missing, reused (and re-enabled) when a run before
 * made it. Answers { id, created, send(body) }.
 */
async function httpSource(label, { logTypes, auth, dropOffMinutes }) {
  const authFields =
    auth === "Bearer"
      ? { authMethod: "Bearer", authBearerToken: derivedSecret(label) }
      : { authMethod: "SharedSecret", authHeaderKey: SECRET_HEADER, authSecretValue: derivedSecret(label) };
  const headers = auth === "Bearer" ? { authorization: `Bearer ${derivedSecret(label)}` } : { [SECRET_HEADER]: derivedSecret(label) };
  let source = await findSource(label);
  let created = false;
  if (!source) {
    const body = {
      integrationLabel: label,
      logTypes,
      logStreamType: "Auto",
      ...authFields,
      ...(dropOffMinutes === undefined ? {} : { dropOffAlarm: { minutesThreshold: dropOffMinutes } }),
    };
    try {
      source = (await api("POST", "/api/log-sources/http", body)).body;
      created = true;
    } catch (err) {
      if (err.status === 409) source = await findSource(label);
      else throw err;
    }
  }
  const id = source.integrationId;
  if (!created && source.integrationType !== "http") fail(`A ${source.integrationType} source is already labelled '${label}'; rename it and run the demo again.`);
  const detail = (await api("GET", `/api/log-sources/http/${id}`)).body;

  async function send(body, extraHeaders = {}) {
    const post = () =>
      fetch(`${API}/http/${id}`, {
        method: "POST",
        headers: { "content-type": "application/x-ndjson", ...headers, ...extraHeaders },
        body,
        signal: AbortSignal.timeout(60_000),
      });
    let res = await post();
    if (res.status === 401 || res.status === 404) {
      // Reused source whose credentials were changed, or that was paused: put the demo's back.
      await res.arrayBuffer();
      await api("PUT", `/api/log-sources/http/${id}`, { ...authFields, enabled: true });
      res = await post();
    }
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST /http/${id} (${label}) → ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }
  return { id, label, created, send, dropOffMinutes: detail.dropOffAlarm?.minutesThreshold ?? null };
}

/** The smallest drop-off threshold this Pipewatch accepts, read from its validation message. */
async function quietSource() {
  try {
    return await httpSource(LABELS.quiet, { logTypes: ["Custom.Nginx"], auth: "SharedSecret", dropOffMinutes: 1 });
  } catch (err) {
    const detail = err.body?.error?.details?.find((d) => d.path === "dropOffAlarm.minutesThreshold");
    const min = Number(/between (\d+) and/.exec(detail?.message ?? "")?.[1]);
    if (!detail || !Number.isFinite(min)) throw err;
    console.log(`  this Pipewatch allows drop-off alarms from ${min} minutes (DROP_OFF_MIN_MINUTES); the local default in .dev.vars is 1`);
    return await httpSource(LABELS.quiet, { logTypes: ["Custom.Nginx"], auth: "SharedSecret", dropOffMinutes: min });
  }
}

async function openAlert(subtype, sourceId) {
  const { body } = await api("GET", `/api/alerts?type=SYSTEM_ERROR&subtype=${subtype}&sourceId=${encodeURIComponent(sourceId)}&status=OPEN&status=TRIAGED&limit=1`);
  return body.results[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// S3 (optional)

async function s3Demo() {
  const endpoint = process.env.S3_ENDPOINT?.replace(/\/+$/, "");
  if (!endpoint) return null;
  // Does this Pipewatch have S3 sources? An empty body is refused as invalid (400) by the route, or unknown (404).
  let supported = false;
  try {
    await api("POST", "/api/log-sources/s3", {}, { ok: [400, 422] });
    supported = true;
  } catch (err) {
    if (err.status !== 404 && err.status !== 405) throw err;
  }
  if (!supported) {
    console.log(`  S3_ENDPOINT is set, but this Pipewatch has no POST /api/log-sources/s3 yet: skipping the S3 source`);
    return null;
  }
  // Sample objects in a bucket of the local S3 server, and the source that polls them (scripts/s3-demo.mjs).
  const { createDemoS3Source } = await import("./s3-demo.mjs");
  try {
    const source = await createDemoS3Source({ apiUrl: API, token: TOKEN, endpoint, bucket: process.env.S3_BUCKET ?? "pipewatch-demo" });
    return { id: source.integrationId, label: source.integrationLabel, bucket: source.s3Bucket ?? process.env.S3_BUCKET ?? "pipewatch-demo" };
  } catch (err) {
    console.log(`  could not set up the S3 source with ${endpoint}: ${err.message}; skipping it`);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  try {
    const res = await fetch(`${API}/api/health`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
  } catch (err) {
    fail(`Cannot reach Pipewatch at ${API} (${err?.cause?.code ?? err?.cause?.errors?.[0]?.code ?? err.message}). Start it first with \`npm start\`, or set PIPEWATCH_API_URL.`);
  }
  try {
    await api("GET", "/api/me");
  } catch (err) {
    if (err.status === 401) fail(`Pipewatch at ${API} refused the token. Set PIPEWATCH_TOKEN to its admin token (npm start prints it).`);
    throw err;
  }
  console.log(`Pipewatch at ${API}`);

  console.log("\nSchemas");
  for (const [name, spec] of sampleSchemas()) {
    const existing = await api("GET", `/api/schemas/${encodeURIComponent(name)}`, undefined, { ok: [200, 404] });
    if (existing.status === 200) {
      // Left as it is: it may hold your fix from an earlier run.
      console.log(`  ${name}: exists (revision ${existing.body.revision}), left as it is`);
      continue;
    }
    const { body } = await api("PUT", `/api/schemas/${encodeURIComponent(name)}`, { spec });
    console.log(`  ${name}: created (revision ${body.revision})`);
  }

  console.log("\nSources");
  const cloudtrail = await httpSource(LABELS.cloudtrail, { logTypes: ["AWS.CloudTrail"], auth: "SharedSecret" });
  const nginx = await httpSource(LABELS.nginx, { logTypes: ["Custom.Nginx"], auth: "Bearer" });
  const quiet = await quietSource();
  for (const s of [cloudtrail, nginx, quiet]) console.log(`  ${s.label}: ${s.created ? "created" : "reused"} (${s.id})`);

  console.log("\nTraffic");
  const ct = await cloudtrail.send(ndjson(Array.from({ length: 200 }, (_, i) => cloudTrailEvent(new Date(Date.now() - (200 - i) * 1000)))));
  console.log(`  ${LABELS.cloudtrail}: ${ct.accepted} events, ${ct.classified} classified`);
  const ctGzip = await cloudtrail.send(gzipSync(ndjson(Array.from({ length: 100 }, () => cloudTrailEvent()))), { "content-encoding": "gzip" });
  console.log(`  ${LABELS.cloudtrail}: ${ctGzip.accepted} more, gzip-compressed, ${ctGzip.classified} classified`);
  const good = await nginx.send(ndjson(Array.from({ length: 150 }, (_, i) => nginxLine(new Date(Date.now() - (150 - i) * 1000)))));
  console.log(`  ${LABELS.nginx}: ${good.accepted} access-log lines, ${good.classified} classified`);
  // WebDAV clients send PROPFIND, which the Custom.Nginx schema does not allow (yet).
  const bad = await nginx.send(ndjson(Array.from({ length: 5 }, () => nginxLine(new Date(), "PROPFIND"))));
  console.log(`  ${LABELS.nginx}: ${bad.accepted} WebDAV lines (request_method PROPFIND), ${bad.failed} failed classification`);
  const earlierNoData = quiet.created ? null : await openAlert("SOURCE_NO_DATA", quiet.id);
  const lastWords = await quiet.send(ndjson([nginxLine()]));
  console.log(`  ${LABELS.quiet}: ${lastWords.accepted} event, then silence`);
  if (earlierNoData) console.log(`  ${LABELS.quiet}: its SOURCE_NO_DATA System Error of the last run resolves itself now that data arrived`);
  const quietSince = Date.now();

  const s3 = await s3Demo();

  const classification = bad.failed > 0 ? await openAlert("SOURCE_CLASSIFICATION_FAILURES", nginx.id) : null;

  console.log("\nWhat to look at");
  console.log(`  Dashboard: ${link("/overview")} (sign in with the admin token of .dev.vars)`);
  console.log(`  Sources:   ${link(`/sources/${cloudtrail.id}`)}  ${LABELS.cloudtrail}`);
  console.log(`             ${link(`/sources/${nginx.id}`)}  ${LABELS.nginx}`);
  console.log(`             ${link(`/sources/${quiet.id}`)}  ${LABELS.quiet}`);
  if (s3) console.log(`             ${link(`/sources/${s3.id}`)}  ${s3.label} (s3://${s3.bucket}, objects read on the next minute's poll)`);
  if (classification) {
    console.log(`\n  A System Error is open: "${classification.title}"`);
    console.log(`    ${link(`/alerts/${classification.id}`)}  (also under ${link("/system-errors")})`);
    console.log("  Fix it:");
    console.log(`    1. Open ${link("/schemas/Custom.Nginx")} and add PROPFIND to the allow list of request_method:`);
    console.log("         validate:");
    console.log("           allow: [GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, CONNECT, TRACE, PROPFIND]");
    console.log("       then Save.");
    console.log("    2. Open the System Error and choose Reprocess: the failed lines are classified again with the");
    console.log("       fixed schema, the alert resolves, and a notification reports the counts.");
    console.log(`       (Or by API: curl -X POST -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`);
    console.log(`          -d '{"reprocess":true}' ${API}/api/alerts/${classification.id}/resolve)`);
  } else if (bad.failed === 0) {
    console.log("\n  The WebDAV lines classified: Custom.Nginx already allows PROPFIND (fixed in an earlier run), so no");
    console.log("  classification System Error this time. Remove PROPFIND from the schema to see one again.");
  }
  const quietDue = quiet.dropOffMinutes === null ? null : new Date(quietSince + quiet.dropOffMinutes * 60_000);
  if (quietDue) {
    console.log(`\n  ${LABELS.quiet} raises a SOURCE_NO_DATA System Error at about ${quietDue.toLocaleTimeString()} (${quiet.dropOffMinutes} min of silence);`);
    console.log(`  it resolves by itself when data arrives again (run the demo again to see that).`);
  } else {
    console.log(`\n  ${LABELS.quiet} has no drop-off alarm (it was turned off): set one on its page to see SOURCE_NO_DATA.`);
  }

  if (once || trickleSeconds === 0) {
    console.log("\nDone (--once: no trickle).");
    return;
  }

  console.log(`\nTrickle: a few good events every 5 s to ${LABELS.cloudtrail} and ${LABELS.nginx} for ${trickleSeconds} s (Ctrl-C stops it)`);
  let stop = false;
  process.once("SIGINT", () => {
    stop = true;
  });
  const until = Date.now() + trickleSeconds * 1000;
  let sent = 0;
  let ticks = 0;
  let noData = null;
  while (!stop && Date.now() < until) {
    const [a, b] = await Promise.all([
      cloudtrail.send(ndjson(Array.from({ length: 2 + Math.floor(Math.random() * 8) }, () => cloudTrailEvent()))),
      nginx.send(ndjson(Array.from({ length: 2 + Math.floor(Math.random() * 8) }, () => nginxLine()))),
    ]);
    sent += a.accepted + b.accepted;
    if (!noData && quietDue && Date.now() >= quietDue.getTime()) {
      noData = await openAlert("SOURCE_NO_DATA", quiet.id);
      if (noData) console.log(`  ${new Date().toLocaleTimeString()}  SOURCE_NO_DATA raised: "${noData.title}"  ${link(`/alerts/${noData.id}`)}`);
    }
    // One line rewritten in a terminal; a line every 15 s or so when the output goes to a file.
    if (process.stdout.isTTY) process.stdout.write(`  ${new Date().toLocaleTimeString()}  ${sent} events sent\r`);
    else if (++ticks % 3 === 0) console.log(`  ${new Date().toLocaleTimeString()}  ${sent} events sent`);
    for (let waited = 0; waited < 5_000 && !stop && Date.now() < until; waited += 250) await sleep(250);
  }
  console.log(`\nDone: ${sent} events in the trickle.${noData || !quietDue ? "" : ` ${LABELS.quiet}'s alarm is due at ${quietDue.toLocaleTimeString()}.`}`);
}

main().catch((err) => {
  console.error(`\nThe demo stopped: ${err.message}`);
  process.exit(1);
});
