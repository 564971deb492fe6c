/**
 * Drop-off alarms at scale: Pipewatch under `wrangler dev` with the threshold floor lowered to
 * one minute (DROP_OFF_MIN_MINUTES=1) and its crons ticking every minute as under `npm start`.
 * It creates many HTTP sources with a 1-minute drop-off alarm through the API, sends one event
 * to each, and then watches SOURCE_NO_DATA System Errors appear (GET /api/alerts, every page).
 * Lateness of an alarm = the alert's createdAt − its deadline, where the deadline is the
 * source's lastEventReceivedAt (as the API reports it) + the threshold.
 *
 * Run alone: PATH=$PWD/node_modules/.bin:$PATH tsx scripts/bench/run.ts drop-off
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
// Plain JavaScript, shared with `npm start`.
import { cronMatches, parseCron, readCrons } from "../cron.mjs";
import { Api, ROOT, cleanUp, log, machineInfo, percentile, pool, round, sampleProc, sleep, startWorker } from "./harness";

export interface DropOffBenchOptions {
  sources?: number;
  /** Concurrent API clients creating sources, and shippers sending the one event. */
  clients?: number;
  /** How long to keep watching after the last deadline for alarms still to come. */
  graceMs?: number;
}

const THRESHOLD_MINUTES = 1;
const SECRET_HEADER = "X-Bench-Secret";

const SCHEMA = `version: 0
fields:
  - name: message
    type: string
    required: true
  - name: time
    type: timestamp
    timeFormat: rfc3339
    isEventTime: true
    required: true
`;

/** Fires each cron of wrangler.toml a second into every minute that matches, as `npm start` does, timing each run. */
function timedTicker(apiUrl: string) {
  const crons = (readCrons(join(ROOT, "wrangler.toml")) as string[]).map(parseCron);
  const runs: { cron: string; at: string; ms: number; status: number | string }[] = [];
  let timer: NodeJS.Timeout;
  let stopped = false;
  const schedule = () => {
    const now = Date.now();
    timer = setTimeout(tick, 60_000 - (now % 60_000) + 1_000);
  };
  const tick = () => {
    if (stopped) return;
    const at = new Date();
    for (const cron of crons) {
      if (!cronMatches(cron, at)) continue;
      const started = performance.now();
      void fetch(`${apiUrl}/__scheduled?cron=${encodeURIComponent(cron.expr)}`, { signal: AbortSignal.timeout(120_000) })
        .then(async (res) => {
          await res.arrayBuffer();
          runs.push({ cron: cron.expr, at: at.toISOString(), ms: Math.round(performance.now() - started), status: res.status });
        })
        .catch((err) => runs.push({ cron: cron.expr, at: at.toISOString(), ms: Math.round(performance.now() - started), status: String(err) }));
    }
    schedule();
  };
  schedule();
  return {
    runs,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export async function runDropOffBench(opts: DropOffBenchOptions = {}) {
  const count = opts.sources ?? 1000;
  const clients = opts.clients ?? 6;
  const graceMs = opts.graceMs ?? 75_000;
  const token = `pw_bench_${randomBytes(24).toString("base64url")}`;
  const secret = `bench-${randomBytes(12).toString("hex")}`;
  const errors: string[] = [];

  try {
    log(`drop-off: starting Pipewatch (DROP_OFF_MIN_MINUTES=${THRESHOLD_MINUTES}) under wrangler dev`);
    const worker = await startWorker({
      name: "pipewatch-dropoff",
      migrations: true,
      testScheduled: true,
      secrets: { ADMIN_TOKEN: token },
      vars: { DROP_OFF_MIN_MINUTES: String(THRESHOLD_MINUTES) },
    });
    const ticker = timedTicker(worker.url);
    const api = new Api(worker.url, token);
    await api.call("PUT", "/api/schemas/Custom.BenchPing", { spec: SCHEMA });

    log(`drop-off: creating ${count} HTTP sources with a ${THRESHOLD_MINUTES}-minute drop-off alarm`);
    const createStarted = performance.now();
    const createMs: number[] = [];
    const ids = await pool(count, clients, async (i) => {
      const t0 = performance.now();
      const { body } = await api.call("POST", "/api/log-sources/http", {
        integrationLabel: `Bench quiet source ${String(i).padStart(4, "0")}`,
        logTypes: ["Custom.BenchPing"],
        logStreamType: "Auto",
        authMethod: "SharedSecret",
        authHeaderKey: SECRET_HEADER,
        authSecretValue: secret,
        dropOffAlarm: { minutesThreshold: THRESHOLD_MINUTES },
      });
      createMs.push(performance.now() - t0);
      return (body as { integrationId: string }).integrationId;
    });
    const createSeconds = (performance.now() - createStarted) / 1000;

    log(`drop-off: sending one event to each source`);
    const sendStarted = performance.now();
    const sent = new Map<string, { t0: number; t1: number }>();
    const sendMs: number[] = [];
    await pool(ids.length, clients, async (i) => {
      const id = ids[i];
      const t0 = Date.now();
      const p0 = performance.now();
      const res = await fetch(`${worker.url}/http/${id}`, {
        method: "POST",
        headers: { [SECRET_HEADER]: secret, "content-type": "application/x-ndjson" },
        body: `${JSON.stringify({ message: `last words of source ${i}`, time: new Date(t0).toISOString() })}\n`,
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      sendMs.push(performance.now() - p0);
      if (res.status !== 200) errors.push(`ingest to source ${i}: ${res.status} ${text.slice(0, 200)}`);
      sent.set(id, { t0, t1: Date.now() });
    });
    const sendSeconds = (performance.now() - sendStarted) / 1000;

    // The deadline is counted from the receive time the Worker recorded (written back to the source row).
    await sleep(2_000);
    const listed = await api.all<{ integrationId: string; lastEventReceivedAt: string | null }>("/api/log-sources?type=http");
    const deadlines = new Map<string, number>();
    let fromClientClock = 0;
    for (const id of ids) {
      const row = listed.find((r) => r.integrationId === id);
      let last = row?.lastEventReceivedAt ? Date.parse(row.lastEventReceivedAt) : NaN;
      if (!Number.isFinite(last)) {
        // Not written back (yet): the moment the request left the client, which can only overstate lateness.
        last = sent.get(id)!.t0;
        fromClientClock++;
      }
      deadlines.set(id, last + THRESHOLD_MINUTES * 60_000);
    }
    const lastDeadline = Math.max(...deadlines.values());
    const firstDeadline = Math.min(...deadlines.values());
    const stopAt = lastDeadline + graceMs;
    log(`drop-off: deadlines from ${new Date(firstDeadline).toISOString()} to ${new Date(lastDeadline).toISOString()}; watching alerts until all ${count} fire or ${graceMs / 1000}s after the last`);

    const ownSet = new Set(ids);
    let alerts: { id: string; createdAt: string; systemError?: { componentId: string } }[] = [];
    await sleep(Math.max(0, firstDeadline - Date.now()));
    const rssDuringAlarms: number[] = [];
    while (Date.now() < stopAt) {
      const s = sampleProc(worker.pids.runtime);
      if (s) rssDuringAlarms.push(s.rssKiB);
      try {
        alerts = (await api.all<(typeof alerts)[number]>("/api/alerts?type=SYSTEM_ERROR&subtype=SOURCE_NO_DATA")).filter((a) =>
          ownSet.has(a.systemError?.componentId ?? ""),
        );
      } catch (err) {
        errors.push(`listing alerts: ${(err as Error).message}`);
      }
      if (new Set(alerts.map((a) => a.systemError!.componentId)).size >= count) break;
      await sleep(3_000);
    }
    ticker.stop();

    const bySource = new Map<string, number[]>();
    for (const a of alerts) {
      const id = a.systemError!.componentId;
      bySource.set(id, [...(bySource.get(id) ?? []), Date.parse(a.createdAt)]);
    }
    const lateness: number[] = [];
    for (const [id, times] of bySource) lateness.push((Math.min(...times) - deadlines.get(id)!) / 1000);
    const duplicates = [...bySource.values()].filter((t) => t.length > 1).length;
    const proc = sampleProc(worker.pids.runtime);

    return {
      bench: "drop-off",
      machine: machineInfo(),
      setup: {
        sources: count,
        thresholdMinutes: THRESHOLD_MINUTES,
        clients,
        crons: "fired every minute, as under npm start",
        deadline: "lastEventReceivedAt (from GET /api/log-sources) + threshold",
        deadlinesFromClientClock: fromClientClock,
      },
      create: { seconds: round(createSeconds), sourcesPerSec: round(count / createSeconds), p50Ms: round(percentile(createMs, 50)), p99Ms: round(percentile(createMs, 99)) },
      firstEvent: { seconds: round(sendSeconds), p50Ms: round(percentile(sendMs, 50)), p99Ms: round(percentile(sendMs, 99)) },
      alarms: {
        fired: bySource.size,
        missing: count - bySource.size,
        duplicateAlerts: duplicates,
        deadlineSpreadS: round((lastDeadline - firstDeadline) / 1000),
        latenessP50S: round(percentile(lateness, 50), 2),
        latenessP99S: round(percentile(lateness, 99), 2),
        latenessMaxS: round(Math.max(...lateness), 2),
        latenessMinS: round(Math.min(...lateness), 2),
      },
      cronRuns: ticker.runs,
      memory: {
        runtimeRssDuringAlarmsMaxMiB: rssDuringAlarms.length ? round(Math.max(...rssDuringAlarms) / 1024, 0) : null,
        runtimePeakRssMiB: proc ? round(proc.hwmKiB / 1024, 0) : null,
      },
      errors: errors.slice(0, 20),
      errorCount: errors.length,
    };
  } finally {
    await cleanUp();
  }
}
