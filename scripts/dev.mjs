// `npm start`: the whole stack on this machine — local D1 migrations, the Worker with its crons
// firing on schedule, and the dashboard. Ctrl-C stops everything.
import { ensureDevVars, startStack, stopGroup } from "./stack.mjs";

const port = Number(process.env.PORT ?? 8787);
const dashboardPort = Number(process.env.DASHBOARD_PORT ?? 5173);

// Lines that repeat on every start or every request and say nothing a developer needs.
const NOISE = [
  /^\s*$/,
  /^[─-]{3,}/,
  /⛅️ wrangler/,
  /Your Worker has access to the following bindings/,
  /^\s*(Binding|env\.\w+)\s/,
  /Using secrets defined in/,
  /Using vars defined in/,
  /^\s*Resource\s+Mode/,
  /wrangler:info\] (GET|HEAD) \/(__scheduled|api\/health)\b/,
  /⎔ (Starting local server|Connection status updated)|Ready on http/,
  /Debugger listening|For help, see: https:\/\/nodejs.org/,
  /ready in \d+ ms|➜\s+(Local|Network):|press h \+ enter/,
  /VITE v\d/,
  /Forced re-optimization of dependencies|\[optimizer\] bundling dependencies/,
];

const width = Math.max("dashboard".length, "migrate LAKE".length);
function print(name, line) {
  const text = line.replace(/\x1b\[[0-9;]*m/g, "");
  if (NOISE.some((re) => re.test(text))) return;
  process.stdout.write(`${name.padEnd(width)} │ ${text}\n`);
}

let stack;
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await stack?.stop();
  process.exit(code);
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => void shutdown(0));

try {
  const token = ensureDevVars();
  stack = await startStack({ port, dashboardPort, onLine: print });
  console.log(`API: ${stack.apiUrl}`);
  console.log(`Dashboard: ${stack.dashboardUrl}`);
  console.log(`Admin token: ${token}`);
  // One child dying leaves a half-working stack; better to stop and say so.
  for (const proc of stack.procs) {
    proc.exited.then(({ code, signal }) => {
      if (stopping) return;
      console.error(`${proc.name} stopped (${signal ?? `exit ${code}`}); stopping the rest`);
      void Promise.all(stack.procs.map((p) => stopGroup(p))).then(() => shutdown(1));
    });
  }
} catch (err) {
  console.error(`npm start failed: ${err.message}`);
  await shutdown(1);
}
