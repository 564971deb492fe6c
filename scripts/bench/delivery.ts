/**
 * Delivery benchmark: the sender code path (format, sign, POST, read the answer, decide) against a
 * local HTTP receiver on 127.0.0.1, outside workerd. It measures deliveries per second and the
 * latency of one attempt for each destination kind, then the share of deliveries that end up
 * delivered when half of all attempts fail, following the retry policy on the production schedule
 * compressed to SCALE_MS_PER_S milliseconds per scheduled second. D1 and the queue are not in this
 * path: the workerd tests cover their behaviour, not their speed.
 *
 * Run: PATH=$PWD/node_modules/.bin:$PATH tsx scripts/bench/delivery.ts
 * (prints JSON and writes bench-results/delivery.json)
 */
import { createServer, type Server } from "node:http";
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import { alertView, type AlertRow, type MessageKind } from "../../worker/delivery/alert-message";
import { kindOf, type OutputType } from "../../worker/delivery/registry";
import { sendOnce } from "../../worker/delivery/sender";
import { decide, parseSchedule } from "../../worker/delivery/retry-policy";

/** Production schedule, in seconds; replayed here at SCALE milliseconds per second. */
const SCHEDULE = parseSchedule("0,5,300,1800,7200,18000,36000,36000");
const SCALE_MS_PER_S = 0.01;

export interface BenchOptions {
  deliveries?: number;
  concurrency?: number;
  flakyDeliveries?: number;
  failureRate?: number;
}

/** A small deterministic PRNG, so a run can be repeated. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function startReceiver(failureRate: number): Promise<{ server: Server; base: string; received: () => number }> {
  const random = mulberry32(42);
  let received = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received++;
      const failing = req.url?.startsWith("/flaky") && random() < failureRate;
      res.writeHead(failing ? 503 : 202, { "content-type": "application/json" });
      res.end(failing ? '{"error":"try later"}' : '{"status":"success"}');
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}`, received: () => received });
    }),
  );
}

function configFor(type: OutputType, base: string, path: string): Record<string, unknown> {
  switch (type) {
    case "customwebhook":
      return { webhookURL: `${base}${path}/hook`, signingSecret: `whsec_${Buffer.from("benchmark-signing-secret-32bytes").toString("base64")}` };
    case "slack":
    case "msteams":
      return { webhookURL: `${base}${path}/${type}` };
    case "pagerduty":
      return { integrationKey: "0123456789abcdef0123456789abcdef", apiURL: `${base}${path}` };
    case "opsgenie":
      return { apiKey: "5a0c7e8e-2b7d-4a43-9c1e-1f0f3c2b9d10", serviceRegion: "US", apiURL: `${base}${path}` };
    default: {
      const unhandled: never = type;
      throw new Error(`no benchmark config for ${String(unhandled)}`);
    }
  }
}

function sampleAlert(i: number): AlertRow {
  const now = new Date().toISOString();
  return {
    id: `bench-${i}`,
    type: "SYSTEM_ERROR",
    systemErrorType: "SOURCE_NO_DATA",
    severity: "CRITICAL",
    status: "OPEN",
    title: `No data from source ${i} for 1 hour`,
    description: "No event arrived for 1 hour. Check the shipper.",
    link: `#/sources/src-${i}/health`,
    dedupKey: `SOURCE_NO_DATA:src-${i}`,
    relatedComponent: "LOG_SOURCE",
    componentId: `src-${i}`,
    componentLabel: `Source ${i}`,
    sourceId: `src-${i}`,
    sourceType: "http",
    context: { minutesThreshold: 60 },
    eventCount: 1,
    assignee: null,
    createdAt: now,
    updatedAt: now,
    lastReceivedEventAt: now,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
  };
}

/** One attempt of one delivery through the real sender; answers the outcome and its latency. */
async function attemptOnce(type: OutputType, config: Record<string, unknown>, i: number, kind: MessageKind = "ALERT") {
  const started = performance.now();
  const dest = kindOf(type);
  const parsed = dest.schema.parse(config);
  const request = dest.format({ kind, alert: alertView(sampleAlert(i), "https://pipewatch.example") }, parsed);
  const sent = await sendOnce(dest, request, parsed, { fetch, webhookId: `msg_bench${i}`, now: new Date(), timeoutMs: 15_000 });
  return { sent, ms: performance.now() - started };
}

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runDeliveryBench(opts: BenchOptions = {}) {
  const deliveries = opts.deliveries ?? 2000;
  const concurrency = opts.concurrency ?? 32;
  const flakyDeliveries = opts.flakyDeliveries ?? 2000;
  const failureRate = opts.failureRate ?? 0.5;
  const { server, base, received } = await startReceiver(failureRate);
  try {
    const types: OutputType[] = ["customwebhook", "slack", "msteams", "pagerduty", "opsgenie"];
    const measure = async (type: OutputType, count: number, parallel: number) => {
      const config = configFor(type, base, "/ok");
      const started = performance.now();
      const results = await pool(count, parallel, (i) => attemptOnce(type, config, i));
      const seconds = (performance.now() - started) / 1000;
      const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
      const failed = results.filter((r) => r.sent.outcome.kind !== "answered" || r.sent.outcome.statusCode >= 300).length;
      return { deliveriesPerSecond: round(count / seconds, 0), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), failed };
    };
    const throughput: Record<string, unknown> = {};
    for (const type of types) {
      await measure(type, 100, concurrency); // warm-up: connections, JIT
      // One at a time: the latency of an attempt itself. Concurrent: what one consumer can push.
      throughput[type] = { serial: await measure(type, 500, 1), [`concurrency${concurrency}`]: await measure(type, deliveries, concurrency) };
    }

    // Half of all attempts fail; each delivery follows the policy on the compressed schedule.
    const config = configFor("customwebhook", base, "/flaky");
    const outcomes = await pool(flakyDeliveries, concurrency, async (i) => {
      for (let attempt = 1; ; attempt++) {
        const { sent } = await attemptOnce("customwebhook", config, i);
        const decision = decide(sent.outcome, attempt, SCHEDULE);
        if (decision.status === "DELIVERED") return { delivered: true, attempts: attempt };
        if (decision.status === "FAILED") return { delivered: false, attempts: attempt };
        await new Promise((r) => setTimeout(r, decision.delaySeconds * SCALE_MS_PER_S));
      }
    });
    const delivered = outcomes.filter((o) => o.delivered).length;
    const attempts = outcomes.reduce((n, o) => n + o.attempts, 0);
    return {
      node: process.version,
      receiver: "node:http on 127.0.0.1 (keep-alive)",
      path: "alertView → format → sign (custom webhook) → fetch → read 1 KB → decide; no D1, no queue",
      throughput,
      flaky: {
        deliveries: flakyDeliveries,
        failureRate,
        schedule: SCHEDULE,
        scheduleScale: `${SCALE_MS_PER_S} ms per scheduled second`,
        deliveredShare: round(delivered / flakyDeliveries, 4),
        expectedShare: round(1 - failureRate ** SCHEDULE.length, 4),
        failed: flakyDeliveries - delivered,
        meanAttempts: round(attempts / flakyDeliveries),
      },
      requestsReceived: received(),
    };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const summary = await runDeliveryBench();
  const text = JSON.stringify(summary, null, 2);
  console.log(text);
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/delivery.json", `${text}\n`);
}
