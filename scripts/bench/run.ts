/**
 * Runs one benchmark and prints its figures as JSON (or writes them to --out). `npm run bench`
 * (scripts/bench.mjs) runs each one in its own process through this file.
 *
 *   PATH=$PWD/node_modules/.bin:$PATH tsx scripts/bench/run.ts <classify|ingest|drop-off|delivery> [--quick] [--out file]
 *
 * --quick shrinks counts for a smoke test; its figures are not the published ones.
 */
import { writeFileSync } from "node:fs";
import { runClassifyBench } from "./classify";
import { runDeliveryBench } from "./delivery";
import { runDropOffBench } from "./drop-off";
import { runIngestBench } from "./ingest";

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--"));
const quick = args.includes("--quick");
const outIndex = args.indexOf("--out");
const out = outIndex >= 0 ? args[outIndex + 1] : null;

const benches: Record<string, () => Promise<object>> = {
  classify: () => runClassifyBench(),
  ingest: () =>
    runIngestBench(quick ? { rounds: 2, batchesPerRound: 4, warmUpBatches: 2, monitorSamples: 30 } : {}),
  "drop-off": () => runDropOffBench(quick ? { sources: 50 } : {}),
  delivery: () => runDeliveryBench(quick ? { deliveries: 200, flakyDeliveries: 200 } : {}),
};

if (!name || !(name in benches)) {
  console.error(`usage: run.ts <${Object.keys(benches).join("|")}> [--quick] [--out file]`);
  process.exit(2);
}
const result = await benches[name]();
const text = `${JSON.stringify(result, null, 2)}\n`;
if (out) writeFileSync(out, text);
else process.stdout.write(text);
// Keep-alive sockets and timers of a bench must not hold the process open.
process.exit(0);
