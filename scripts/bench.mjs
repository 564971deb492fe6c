// `npm run bench`: runs each benchmark in its own process (scripts/bench/run.ts through tsx),
// prints the figures as tables and writes them all to bench-results/latest.json.
//
//   npm run bench                      every benchmark (about 10 minutes on 2 cores)
//   npm run bench -- ingest drop-off   only these
//   npm run bench -- --quick           smaller counts, for a smoke test (figures not comparable)
//
// Every figure is compared with a baseline measured in the same run; nothing here passes or fails.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { delimiter, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "node_modules", ".bin");
const ALL = ["classify", "ingest", "drop-off", "delivery"];

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const chosen = args.filter((a) => !a.startsWith("--"));
const unknown = chosen.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; choose from ${ALL.join(", ")}`);
  process.exit(2);
}
const names = chosen.length ? ALL.filter((n) => chosen.includes(n)) : ALL;

let current = null;
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    // The child stops its own Workers and removes its state directories on this signal; wait for it.
    interrupted = true;
    if (current) current.kill(sig);
    else process.exit(130);
  });
}

function runOne(name, outFile) {
  return new Promise((ok) => {
    const child = spawn(join(BIN, "tsx"), [join(ROOT, "scripts", "bench", "run.ts"), name, "--out", outFile, ...(quick ? ["--quick"] : [])], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        CI: "true",
        FORCE_COLOR: "0",
      },
    });
    current = child;
    child.on("exit", (code, signal) => {
      current = null;
      ok({ code, signal });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Tables

const fmt = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n) ? "–" : Number(n).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  // Figures right-aligned, text left-aligned.
  const numeric = (c) => /^[-–+]?[\d,.]*\d[\d,.]*( ?(%|s|ms))?$|^–$|^$/.test(c);
  const line = (r) => `  ${r.map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("   ").trimEnd()}`;
  return [line(cells[0]), `  ${widths.map((w) => "─".repeat(w)).join("   ")}`.trimEnd(), ...cells.slice(1).map(line)].join("\n");
}

function printClassify(r) {
  console.log(`\nClassification vs JSON.parse (${fmt(r.lines)} CloudTrail-like lines of ~${fmt(r.avgLineBytes)} B, ${r.rounds} interleaved rounds, CPU time)`);
  console.log(
    table(
      ["runner", "events/s", "ratio"],
      [
        ["JSON.parse only", fmt(r.parseOnlyEventsPerSec), "1"],
        ["classify (AWS.CloudTrail)", fmt(r.classifyEventsPerSec), fmt(r.ratio, 3)],
        ["classify, behind 3 other schemas", fmt(r.classifyBehind3OtherSchemasEventsPerSec), fmt(r.ratioBehind3OtherSchemas, 3)],
      ],
    ),
  );
  console.log(`  wall-clock ratio ${fmt(r.wallClock?.ratio, 3)}; goal: classify ≥ ${r.goal} × parse-only`);
}

function printIngest(r) {
  const s = r.setup;
  console.log(
    `\nIngest end to end under wrangler dev (${fmt(s.linesPerBatch)}-line NDJSON batches, ~${fmt(s.avgBatchBytes.plain / 1e6, 2)} MB plain / ~${fmt(s.avgBatchBytes.gzip / 1e3)} KB gzip, ` +
      `${s.clients} clients, ${s.rounds} interleaved rounds × ${s.batchesPerRoundPerTarget} batches per target)`,
  );
  const rows = [];
  for (const target of Object.values(r.throughput)) {
    for (const [enc, c] of Object.entries(target)) {
      rows.push([c.label, enc, fmt(c.eventsPerSec), fmt(c.p50Ms), fmt(c.p99Ms), fmt(c.workerdCpuMsPer1000Events), c.errors ? `${c.errors} errors` : ""]);
    }
  }
  console.log(table(["target", "body", "events/s", "p50 ms", "p99 ms", "workerd CPU ms / 1k events", ""], rows));
  console.log(
    table(
      ["ratio (events/s)", "plain", "gzip"],
      [
        ["Pipewatch / JSON.parse only (goal ≥ 0.5)", fmt(r.ratios.plain.pipewatchVsParseOnly, 3), fmt(r.ratios.gzip.pipewatchVsParseOnly, 3)],
        ["Pipewatch / INSERT per event", fmt(r.ratios.plain.pipewatchVsRowPerEventInsert, 3), fmt(r.ratios.gzip.pipewatchVsRowPerEventInsert, 3)],
        ["Pipewatch / json_each bulk INSERT", fmt(r.ratios.plain.pipewatchVsBulkInsert, 3), fmt(r.ratios.gzip.pipewatchVsBulkInsert, 3)],
        ["INSERT per event / json_each bulk", fmt(r.ratios.plain.rowPerEventVsBulkInsert, 3), fmt(r.ratios.gzip.rowPerEventVsBulkInsert, 3)],
      ],
    ),
  );
  console.log(
    table(
      ["workerd RSS (MiB)", "idle", "busy p50", "busy max", "peak"],
      Object.entries(r.memory).map(([name, m]) => [name, fmt(m.idleRssMiB), fmt(m.busyRssMedianMiB), fmt(m.busyRssMaxMiB), fmt(m.peakRssMiB)]),
    ),
  );
  const m = r.monitor;
  const c = m.workerdCpuMsPerRequest;
  console.log(`\nPer-batch SourceMonitor call (${fmt(m.samples)} one-line batches per target, one at a time, in alternating blocks)`);
  console.log(
    table(
      ["1-line batch", "p50 ms", "p99 ms", "workerd CPU ms / request"],
      [
        ["Pipewatch", fmt(m.pipewatch1LineP50Ms, 1), fmt(m.pipewatch1LineP99Ms, 1), fmt(c.pipewatch1Line, 2)],
        ["baseline /parse", fmt(m.baselineParse1LineP50Ms, 1), "", fmt(c.baselineParse1Line, 2)],
        ["baseline /parse + recordBatch", fmt(m.baselineMonitor1LineP50Ms, 1), "", fmt(c.baselineMonitor1Line, 2)],
      ],
    ),
  );
  console.log(
    `  monitor call ≈ ${fmt(m.monitorCallP50Ms, 1)} ms latency (p50 difference; mean difference ${fmt(m.monitorCallMeanMs, 1)} ms) and ${fmt(c.monitorCall, 2)} ms workerd CPU: ` +
      `${fmt(m.shareOf1LineBatch * 100, 0)}% of a 1-line Pipewatch batch's latency (${fmt(c.monitorShareOfPipewatch1Line * 100, 0)}% of its CPU), ` +
      `${fmt(m.shareOf1000LineBatch * 100, 1)}% of a 1,000-line one's`,
  );
  if (r.errorCount) console.log(`  ${r.errorCount} errors, first: ${r.errors[0]}`);
}

function printDropOff(r) {
  const a = r.alarms;
  const s = r.setup;
  const late = (x) => (x.count ? `p50 ${fmt(x.p50S, 2)} s, p99 ${fmt(x.p99S, 2)} s, max ${fmt(x.maxS, 2)} s (${fmt(x.count)} alarms)` : "none");
  const sends = (x) => (x.count ? `p50 ${fmt(x.p50Ms)} ms, p99 ${fmt(x.p99Ms)} ms (${fmt(x.count)})` : "none");
  console.log(
    `\nDrop-off alarms (${fmt(s.sources)} of ${fmt(s.sourcesRequested)} HTTP sources set up in ${fmt(s.setupSeconds)} s, ${s.thresholdMinutes}-minute threshold, ` +
      `one event each, ${s.clients} clients, crons ticking)`,
  );
  console.log(
    table(
      ["step", "figure"],
      [
        ["create a source (API)", `${fmt(r.create.sourcesPerSec, 1)} sources/s with their event; p50 ${fmt(r.create.p50Ms)} ms, p99 ${fmt(r.create.p99Ms)} ms`],
        ["its first 1-line batch", sends(r.firstEvent)],
        ["  while a cron run was going", sends(r.firstEvent.duringCronRun)],
        ["  clear of cron runs", sends(r.firstEvent.outsideCronRuns)],
        ["SOURCE_NO_DATA alerts", `${fmt(a.fired)} fired, ${fmt(a.missing)} not fired when watching stopped, ${fmt(a.duplicateAlerts)} duplicated; deadlines spread over ${fmt(a.deadlineSpreadS)} s`],
        ["lateness after deadline", `p50 ${fmt(a.latenessP50S, 2)} s, p99 ${fmt(a.latenessP99S, 2)} s, max ${fmt(a.latenessMaxS, 2)} s (min ${fmt(a.latenessMinS, 2)} s)`],
        ["  overlapping a cron run", late(a.overlappingCronRun)],
        ["  clear of cron runs", late(a.clearOfCronRuns)],
        ["cron runs (every minute)", r.cronRuns.map((c) => `${fmt(c.ms / 1000, 1)} s${c.status === 200 ? "" : ` (${c.status})`}`).join(", ") || "none"],
        ["workerd RSS during alarms", `max ${fmt(r.memory.runtimeRssDuringAlarmsMaxMiB)} MiB, peak ${fmt(r.memory.runtimePeakRssMiB)} MiB`],
      ],
    ),
  );
  if (r.errorCount) console.log(`  ${r.errorCount} errors, first: ${r.errors[0]}`);
}

function printDelivery(r) {
  console.log(`\nDelivery sender path vs a local receiver (${r.path})`);
  const rows = Object.entries(r.throughput).map(([kind, t]) => {
    const conc = Object.entries(t).find(([k]) => k.startsWith("concurrency"));
    return [kind, fmt(t.serial.deliveriesPerSecond), fmt(t.serial.p50Ms, 2), fmt(t.serial.p99Ms, 2), fmt(conc[1].deliveriesPerSecond), fmt(conc[1].p50Ms, 1), fmt(conc[1].p99Ms, 1)];
  });
  const concName = Object.keys(Object.values(r.throughput)[0]).find((k) => k.startsWith("concurrency"));
  console.log(table(["destination", "serial /s", "p50 ms", "p99 ms", `${concName.replace("concurrency", "×")} /s`, "p50 ms", "p99 ms"], rows));
  const f = r.flaky;
  console.log(
    `  half of all attempts failing: ${fmt(f.deliveredShare * 100, 2)}% delivered (expected ${fmt(f.expectedShare * 100, 2)}% for ${f.schedule.length} attempts), ` +
      `${fmt(f.meanAttempts, 2)} attempts per delivery, schedule compressed to ${f.scheduleScale}`,
  );
}

const printers = { classify: printClassify, ingest: printIngest, "drop-off": printDropOff, delivery: printDelivery };

// ---------------------------------------------------------------------------------------------

const machine = {
  cores: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  wrangler: JSON.parse(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8")).version,
  // Other work on the machine moves absolute figures; the ratios are measured under the same load.
  loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
};
console.log(
  `Pipewatch benchmarks${quick ? " (quick: smaller counts)" : ""} — ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}, wrangler ${machine.wrangler}, load average ${machine.loadAverageAtStart.join(" ")}`,
);

const dir = mkdtempSync(join(tmpdir(), "pipewatch-bench-results-"));
const results = {};
const failures = [];
const started = Date.now();
for (const name of names) {
  console.log(`\n▶ ${name}`);
  const t0 = Date.now();
  const out = join(dir, `${name}.json`);
  const { code, signal } = await runOne(name, out);
  if (interrupted) {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  }
  let result = null;
  try {
    result = JSON.parse(readFileSync(out, "utf8"));
  } catch {
    // no result written
  }
  if (code !== 0 || !result) {
    failures.push(`${name} (${signal ?? `exit ${code}`})`);
    console.log(`  ${name} did not finish (${signal ?? `exit ${code}`})`);
    continue;
  }
  results[name] = { ...result, seconds: Math.round((Date.now() - t0) / 1000) };
  printers[name](result);
  console.log(`  (${results[name].seconds} s)`);
}
rmSync(dir, { recursive: true, force: true });

mkdirSync(join(ROOT, "bench-results"), { recursive: true });
const latest = join(ROOT, "bench-results", "latest.json");
writeFileSync(latest, `${JSON.stringify({ at: new Date().toISOString(), quick, machine, seconds: Math.round((Date.now() - started) / 1000), results }, null, 2)}\n`);
console.log(`\nWrote ${latest} (${Math.round((Date.now() - started) / 1000)} s in all)`);
if (failures.length) {
  console.log(`Did not finish: ${failures.join(", ")}`);
  process.exit(1);
}
