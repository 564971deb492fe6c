import { readFileSync } from "node:fs";
import { Classifier } from "../../worker/classify/classifier";
import { compileSchema, type CompiledSchema } from "../../worker/classify/compile";
import { parseSchemaSpec } from "../../worker/classify/spec";
import { cloudTrailCorpus } from "./cloudtrail-corpus";

// Classification throughput against the floor it cannot beat: JSON.parse of the same lines.
// Goal: classify ≥ 0.5 × parse-only events/s.
//
// The machine may be shared (CI, other jobs), so the runners are measured interleaved, chunk by
// chunk (a few milliseconds each, rotating which goes first), and each one's time is summed
// over all rounds after a warm-up: every runner sees the same load. The ratio uses process CPU
// time, which other processes disturb far less than wall time (both are reported).

const LINES = 20_000;
const ROUNDS = 8;
const WARM_UP_ROUNDS = 2;
const CHUNK = 500;
const SCHEMAS = new URL("../../test/fixtures/schemas/", import.meta.url);

function load(file: string): CompiledSchema {
  const parsed = parseSchemaSpec(readFileSync(new URL(file, SCHEMAS), "utf8"));
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
  return compileSchema(parsed.spec.schema ?? file, parsed.spec);
}

type Run = (line: string) => number;

interface Timing {
  cpuMs: number[];
  wallMs: number[];
  sink: number;
}

/** Time each runner spends on the whole corpus, `rounds` times, interleaved by chunk. */
function measure(lines: string[], runners: Run[], rounds: number): Timing {
  const cpuMs = runners.map(() => 0);
  const wallMs = runners.map(() => 0);
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    for (let from = 0; from < lines.length; from += CHUNK) {
      const to = Math.min(from + CHUNK, lines.length);
      for (let j = 0; j < runners.length; j++) {
        const k = (j + r + from / CHUNK) % runners.length;
        const run = runners[k];
        const cpu0 = process.cpuUsage();
        const wall0 = performance.now();
        for (let i = from; i < to; i++) sink += run(lines[i]);
        wallMs[k] += performance.now() - wall0;
        const cpu = process.cpuUsage(cpu0);
        cpuMs[k] += (cpu.user + cpu.system) / 1000;
      }
    }
  }
  return { cpuMs, wallMs, sink };
}

const perSec = (events: number, ms: number) => Math.round(events / (ms / 1000));

export async function runClassifyBench(): Promise<object> {
  const lines = cloudTrailCorpus(LINES);
  const bytes = lines.reduce((n, l) => n + l.length, 0);
  const cloudTrail = load("aws-cloudtrail.yml");
  const others = ["okta-systemlog.yml", "custom-nginx.yml", "cloudflare-http-request.yml"].map(load);

  const parseOnly: Run = (line) => (JSON.parse(line) as { eventName: string }).eventName.length;
  const classifyWith = (c: Classifier): Run => (line) => {
    const r = c.classify(line);
    if (!r.ok) throw new Error(`benchmark line failed: ${r.failure.error}`);
    return (r.value.event.eventName as string).length;
  };
  // The CloudTrail schema alone, and behind three schemas that do not match it: the first line
  // tries all four, after that the last winner goes first and the others cost nothing.
  const runners = [parseOnly, classifyWith(new Classifier([cloudTrail])), classifyWith(new Classifier([...others, cloudTrail]))];

  measure(lines, runners, WARM_UP_ROUNDS);
  const { cpuMs, wallMs, sink } = measure(lines, runners, ROUNDS);
  const events = LINES * ROUNDS;
  const cpu = cpuMs.map((ms) => perSec(events, ms));
  const wall = wallMs.map((ms) => perSec(events, ms));
  const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
  return {
    bench: "classify",
    lines: LINES,
    avgLineBytes: Math.round(bytes / LINES),
    rounds: ROUNDS,
    parseOnlyEventsPerSec: cpu[0],
    classifyEventsPerSec: cpu[1],
    classifyBehind3OtherSchemasEventsPerSec: cpu[2],
    ratio: ratio(cpu[1], cpu[0]),
    ratioBehind3OtherSchemas: ratio(cpu[2], cpu[0]),
    wallClock: { parseOnlyEventsPerSec: wall[0], classifyEventsPerSec: wall[1], ratio: ratio(wall[1], wall[0]) },
    goal: 0.5,
    met: cpu[1] / cpu[0] >= 0.5,
    node: process.version,
    checksum: sink,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runClassifyBench(), null, 2));
}
