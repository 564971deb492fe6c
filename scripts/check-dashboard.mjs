// svelte-check for the dashboard. Its typed API client imports the Worker's route types, so the
// Worker's files enter this program too, but under DOM types, where Workers-only APIs
// (crypto.DigestStream, timingSafeEqual, ...) do not exist. The Worker is checked by `tsc` in its
// own environment; here only the dashboard's own files may report problems.
import { spawnSync } from "node:child_process";

const run = spawnSync("svelte-check", ["--workspace", "dashboard", "--tsconfig", "./tsconfig.json", "--output", "machine"], {
  encoding: "utf8",
  shell: false,
  maxBuffer: 64 * 1024 * 1024,
});
if (run.error) throw run.error;
const lines = run.stdout.split("\n");
// Machine lines: "<time> ERROR|WARNING "<file>" <line>:<col> "<message>"".
const problems = lines.filter((l) => / (ERROR|WARNING) "/.test(l));
const own = problems.filter((l) => !/ (ERROR|WARNING) "\.\.\/worker\//.test(l));
for (const line of own) console.log(line);
const fatal = run.status !== 0 && problems.length === 0;
if (fatal) process.stderr.write(run.stderr || run.stdout);
console.log(`svelte-check (dashboard files): ${own.length} problem${own.length === 1 ? "" : "s"}`);
process.exit(own.length > 0 || fatal ? 1 : 0);
