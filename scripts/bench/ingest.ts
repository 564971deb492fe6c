/**
 * Ingest end to end: shippers post 1,000-line NDJSON batches (~1.3 MB of CloudTrail-like
 * records; also gzipped) to Pipewatch under `wrangler dev` — authentication, decoding,
 * classification, the lake write and the SourceMonitor call — and, in the same run, to the
 * baseline Worker of bench/baseline (read the body, JSON.parse each line, answer the count) and to
 * two baseline variants that also store each event: one INSERT per event, and bulk through
 * json_each. Rounds are interleaved (the order rotates each round), so every target sees the same
 * machine load. Memory and CPU are read from /proc for each Worker's workerd process.
 *
 * Then the cost of the per-batch SourceMonitor call: 1-line batches, one at a time, to Pipewatch,
 * to the baseline's /parse and to its /monitor route (/parse plus one recordBatch on Pipewatch's
 * own SourceMonitor class), interleaved; the monitor call costs /monitor − /parse.
 *
 * Run alone: PATH=$PWD/node_modules/.bin:$PATH tsx scripts/bench/run.ts ingest
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { cloudTrailCorpus } from "./cloudtrail-corpus";
import { Api, ROOT, cleanUp, log, machineInfo, mean, percentile, pool, round, sampleProc, startWorker, type RunningWorker } from "./harness";

export interface IngestBenchOptions {
  /** Lines per batch. */
  lines?: number;
  /** Concurrent shippers. */
  clients?: number;
  /** Interleaved rounds; each posts `batchesPerRound` batches to every target, plain and gzip. */
  rounds?: number;
  batchesPerRound?: number;
  /** Unmeasured batches per target and encoding first (JIT, schema compilation, D1 pages). */
  warmUpBatches?: number;
  /** 1-line batches per target for the monitor-call measurement. */
  monitorSamples?: number;
}

const SECRET_HEADER = "X-Bench-Secret";
const SECRET = `bench-${randomBytes(12).toString("hex")}`;

type Encoding = "plain" | "gzip";
interface Target {
  name: string;
  label: string;
  worker: RunningWorker;
  path: string;
  headers: Record<string, string>;
}

interface PhaseResult {
  events: number;
  wallMs: number;
  latencies: number[];
  runtimeCpuMs: number;
  errors: string[];
}

/** The schema of the fixtures when present, else a CloudTrail schema that covers the corpus. */
function cloudTrailSpec(): string {
  const fixture = join(ROOT, "test", "fixtures", "schemas", "aws-cloudtrail.yml");
  if (existsSync(fixture)) return readFileSync(fixture, "utf8");
  return [
    "version: 0",
    "fields:",
    "  - { name: eventVersion, type: string, required: true }",
    "  - { name: userIdentity, type: json }",
    "  - { name: eventTime, type: timestamp, timeFormat: rfc3339, isEventTime: true, required: true }",
    "  - { name: eventSource, type: string, required: true }",
    "  - { name: eventName, type: string, required: true }",
    "  - { name: awsRegion, type: string, required: true }",
    "  - { name: sourceIPAddress, type: string, indicators: [ip] }",
    "  - { name: userAgent, type: string }",
    "  - { name: requestParameters, type: json }",
    "  - { name: responseElements, type: json }",
    "  - { name: eventID, type: string, required: true }",
    "",
  ].join("\n");
}

/** `count` distinct batches of `lines` lines each (distinct, so no write is skipped as a repeat). */
function makeBatches(count: number, lines: number, seed: number, gzip: boolean): Buffer[] {
  const corpus = cloudTrailCorpus(count * lines, seed);
  return Array.from({ length: count }, (_, b) => {
    const body = Buffer.from(`${corpus.slice(b * lines, (b + 1) * lines).join("\n")}\n`);
    return gzip ? gzipSync(body) : body;
  });
}

async function post(target: Target, body: Buffer, encoding: Encoding): Promise<{ ms: number; accepted: number; error?: string }> {
  const started = performance.now();
  try {
    const res = await fetch(`${target.worker.url}${target.path}`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", ...(encoding === "gzip" ? { "content-encoding": "gzip" } : {}), ...target.headers },
      body,
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) return { ms, accepted: 0, error: `${res.status} ${res.headers.get("retry-after") ? `(Retry-After ${res.headers.get("retry-after")}) ` : ""}${text.slice(0, 200)}` };
    const answer = JSON.parse(text) as { accepted: number; classified: number; failed: number };
    if (answer.failed > 0) return { ms, accepted: answer.accepted, error: `${answer.failed} lines failed classification` };
    return { ms, accepted: answer.accepted };
  } catch (err) {
    return { ms: performance.now() - started, accepted: 0, error: String((err as Error).cause ?? err) };
  }
}

async function phase(target: Target, batches: Buffer[], encoding: Encoding, clients: number): Promise<PhaseResult> {
  const cpu0 = sampleProc(target.worker.pids.runtime)?.cpuMs ?? 0;
  const started = performance.now();
  const results = await pool(batches.length, clients, (i) => post(target, batches[i], encoding));
  const wallMs = performance.now() - started;
  const cpu1 = sampleProc(target.worker.pids.runtime)?.cpuMs ?? 0;
  return {
    events: results.reduce((n, r) => n + r.accepted, 0),
    wallMs,
    latencies: results.map((r) => r.ms),
    runtimeCpuMs: cpu1 - cpu0,
    errors: results.flatMap((r) => (r.error ? [r.error] : [])),
  };
}

/** Samples the RSS of each Worker's workerd every 200 ms, tagged with what it is serving. */
function memorySampler(workers: RunningWorker[]) {
  const samples = new Map<string, { idle: number[]; busy: number[] }>(workers.map((w) => [w.name, { idle: [], busy: [] }]));
  let busy: string | null = null;
  const timer = setInterval(() => {
    for (const w of workers) {
      const s = sampleProc(w.pids.runtime);
      if (s) samples.get(w.name)![busy === w.name ? "busy" : "idle"].push(s.rssKiB);
    }
  }, 200);
  return {
    busy: (name: string | null) => {
      busy = name;
    },
    stop: () => clearInterval(timer),
    summary: () =>
      Object.fromEntries(
        workers.map((w) => {
          const s = samples.get(w.name)!;
          const proc = sampleProc(w.pids.runtime);
          const proxy = w.pids.proxy ? sampleProc(w.pids.proxy) : null;
          const mib = (kib: number) => round(kib / 1024, 0);
          return [
            w.name,
            {
              pid: w.pids.runtime,
              idleRssMiB: mib(percentile(s.idle, 50)),
              busyRssMedianMiB: mib(percentile(s.busy, 50)),
              busyRssMaxMiB: mib(Math.max(...s.busy)),
              peakRssMiB: proc ? mib(proc.hwmKiB) : null,
              proxyPeakRssMiB: proxy ? mib(proxy.hwmKiB) : null,
              samples: s.busy.length + s.idle.length,
            },
          ];
        }),
      ),
  };
}

export async function runIngestBench(opts: IngestBenchOptions = {}) {
  const lines = opts.lines ?? 1000;
  const clients = opts.clients ?? 4;
  const rounds = opts.rounds ?? 5;
  const perRound = opts.batchesPerRound ?? 12;
  const warmUp = opts.warmUpBatches ?? 4;
  const monitorSamples = opts.monitorSamples ?? 300;
  const token = `pw_bench_${randomBytes(24).toString("base64url")}`;

  try {
    log("ingest: starting Pipewatch and the baseline Worker under wrangler dev");
    const [pipewatch, baseline] = await Promise.all([
      startWorker({ name: "pipewatch", migrations: true, secrets: { ADMIN_TOKEN: token } }),
      startWorker({ name: "baseline", config: join(ROOT, "bench", "baseline", "wrangler.toml") }),
    ]);
    const api = new Api(pipewatch.url, token);
    await api.call("PUT", "/api/schemas/AWS.CloudTrail", { spec: cloudTrailSpec() });
    const source = (
      await api.call("POST", "/api/log-sources/http", {
        integrationLabel: "Bench CloudTrail",
        logTypes: ["AWS.CloudTrail"],
        logStreamType: "Auto",
        authMethod: "SharedSecret",
        authHeaderKey: SECRET_HEADER,
        authSecretValue: SECRET,
      })
    ).body as { integrationId: string };

    const targets: Target[] = [
      { name: "pipewatch", label: "Pipewatch", worker: pipewatch, path: `/http/${source.integrationId}`, headers: { [SECRET_HEADER]: SECRET } },
      { name: "parse", label: "baseline: JSON.parse only", worker: baseline, path: "/parse", headers: {} },
      { name: "rows", label: "baseline + INSERT per event", worker: baseline, path: "/rows", headers: {} },
      { name: "bulk", label: "baseline + json_each bulk INSERT", worker: baseline, path: "/bulk", headers: {} },
    ];

    log(`ingest: generating ${2 * (warmUp + rounds * perRound)} distinct ${lines}-line batches`);
    const count = warmUp + rounds * perRound;
    const pools: Record<Encoding, Buffer[]> = { plain: makeBatches(count, lines, 1, false), gzip: makeBatches(count, lines, 2, true) };
    const avgBytes = (enc: Encoding) => Math.round(mean(pools[enc].map((b) => b.length)));

    const memory = memorySampler([pipewatch, baseline]);
    const cells = new Map<string, PhaseResult[]>();
    const cellKey = (t: Target, e: Encoding) => `${t.name}/${e}`;
    const encodings: Encoding[] = ["plain", "gzip"];

    log(`ingest: warm-up, ${warmUp} batches per target and encoding`);
    for (const t of targets) {
      for (const e of encodings) {
        const warm = await phase(t, pools[e].slice(0, warmUp), e, clients);
        if (warm.errors.length) throw new Error(`${t.label} (${e}) failed during warm-up: ${warm.errors[0]}`);
      }
    }

    for (let r = 0; r < rounds; r++) {
      const batches = (e: Encoding) => pools[e].slice(warmUp + r * perRound, warmUp + (r + 1) * perRound);
      const order = targets.map((_, i) => targets[(i + r) % targets.length]);
      for (const t of order) {
        for (const e of r % 2 ? [...encodings].reverse() : encodings) {
          memory.busy(t.worker.name);
          const result = await phase(t, batches(e), e, clients);
          memory.busy(null);
          cells.set(cellKey(t, e), [...(cells.get(cellKey(t, e)) ?? []), result]);
        }
      }
      log(`ingest: round ${r + 1}/${rounds} done`);
    }

    const throughput: Record<string, Record<Encoding, unknown>> = {};
    const eventsPerSec: Record<string, number> = {};
    const p50s: Record<string, number> = {};
    const errors: string[] = [];
    for (const t of targets) {
      throughput[t.name] = {} as Record<Encoding, unknown>;
      for (const e of encodings) {
        const rs = cells.get(cellKey(t, e)) ?? [];
        const events = rs.reduce((n, x) => n + x.events, 0);
        const wallMs = rs.reduce((n, x) => n + x.wallMs, 0);
        const latencies = rs.flatMap((x) => x.latencies);
        const cpuMs = rs.reduce((n, x) => n + x.runtimeCpuMs, 0);
        const errs = rs.flatMap((x) => x.errors);
        errors.push(...errs.map((m) => `${t.label} (${e}): ${m}`));
        eventsPerSec[cellKey(t, e)] = events / (wallMs / 1000);
        p50s[cellKey(t, e)] = percentile(latencies, 50);
        throughput[t.name][e] = {
          label: t.label,
          batches: latencies.length,
          events,
          eventsPerSec: round(events / (wallMs / 1000), 0),
          p50Ms: round(percentile(latencies, 50)),
          p99Ms: round(percentile(latencies, 99)),
          workerdCpuMsPer1000Events: round((cpuMs / Math.max(1, events)) * 1000, 0),
          errors: errs.length,
        };
      }
    }
    const ratio = (a: string, b: string) => round(eventsPerSec[a] / eventsPerSec[b], 3);
    const ratios = Object.fromEntries(
      encodings.map((e) => [
        e,
        {
          pipewatchVsParseOnly: ratio(`pipewatch/${e}`, `parse/${e}`),
          pipewatchVsRowPerEventInsert: ratio(`pipewatch/${e}`, `rows/${e}`),
          pipewatchVsBulkInsert: ratio(`pipewatch/${e}`, `bulk/${e}`),
          rowPerEventVsBulkInsert: ratio(`rows/${e}`, `bulk/${e}`),
        },
      ]),
    );

    log(`ingest: monitor-call cost, ${monitorSamples} one-line batches per target, one at a time`);
    const singles = cloudTrailCorpus(monitorSamples + 20, 3).map((l) => Buffer.from(`${l}\n`));
    const monitorTargets: Target[] = [
      targets[0],
      { name: "parse1", label: "baseline /parse", worker: baseline, path: "/parse", headers: {} },
      { name: "monitor1", label: "baseline /parse + SourceMonitor.recordBatch", worker: baseline, path: "/monitor", headers: {} },
    ];
    const one: Record<string, number[]> = Object.fromEntries(monitorTargets.map((t) => [t.name, []]));
    for (let i = 0; i < monitorSamples + 20; i++) {
      for (let j = 0; j < monitorTargets.length; j++) {
        const t = monitorTargets[(i + j) % monitorTargets.length];
        const res = await post(t, singles[i], "plain");
        if (res.error) errors.push(`${t.label} (1 line): ${res.error}`);
        else if (i >= 20) one[t.name].push(res.ms); // the first 20 warm up
      }
    }
    memory.stop();
    const p50 = (name: string) => percentile(one[name], 50);
    const monitorMs = p50("monitor1") - p50("parse1");
    const monitor = {
      method:
        "1-line batches sent one at a time, interleaved, to Pipewatch, to the baseline's /parse, and to its /monitor route " +
        "(/parse plus one recordBatch on Pipewatch's own SourceMonitor class, same state: a named source with the 24 h alarm). " +
        "Monitor call = p50(/monitor) − p50(/parse).",
      samples: monitorSamples,
      pipewatch1LineP50Ms: round(p50("pipewatch"), 2),
      pipewatch1LineP99Ms: round(percentile(one.pipewatch, 99), 2),
      baselineParse1LineP50Ms: round(p50("parse1"), 2),
      baselineMonitor1LineP50Ms: round(p50("monitor1"), 2),
      monitorCallP50Ms: round(monitorMs, 2),
      monitorCallMeanMs: round(mean(one.monitor1) - mean(one.parse1), 2),
      shareOf1LineBatch: round(monitorMs / p50("pipewatch"), 3),
      shareOf1000LineBatch: round(monitorMs / p50s["pipewatch/plain"], 4),
    };

    return {
      bench: "ingest",
      machine: machineInfo(),
      setup: {
        linesPerBatch: lines,
        avgBatchBytes: { plain: avgBytes("plain"), gzip: avgBytes("gzip") },
        clients,
        rounds,
        batchesPerRoundPerTarget: perRound,
        warmUpBatches: warmUp,
        schema: "AWS.CloudTrail (test/fixtures/schemas/aws-cloudtrail.yml)",
        note: "Both Workers run under wrangler dev on this machine (local D1 and Durable Objects); events/s are wall clock with all clients; ratios compare targets measured in the same interleaved rounds.",
      },
      throughput,
      ratios,
      goal: "Pipewatch ≥ 0.5 × parse-only events/s",
      memory: memory.summary(),
      monitor,
      errors: errors.slice(0, 20),
      errorCount: errors.length,
    };
  } finally {
    await cleanUp();
  }
}
