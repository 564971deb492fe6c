// Starts the local stack: D1 migrations, the Worker (wrangler dev), a cron ticker and the
// dashboard (Vite). Shared by `npm start` (scripts/dev.mjs) and `npm run test:e2e`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { readCrons, startTicker } from "./cron.mjs";

export const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "node_modules", ".bin");

/** Children run with the project's Node 22 (wrangler needs it) and wrangler kept offline and quiet. */
function childEnv(extra = {}) {
  return {
    ...process.env,
    PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    // No prompt: `d1 migrations apply` asks for confirmation only when interactive.
    CI: "true",
    FORCE_COLOR: "0",
    ...extra,
  };
}

export function randomToken() {
  return `pw_dev_${randomBytes(24).toString("base64url")}`;
}

/** The ADMIN_TOKEN of .dev.vars, creating the file from .dev.vars.example on first run. */
export function ensureDevVars(root = ROOT) {
  const path = join(root, ".dev.vars");
  const placeholder = /^ADMIN_TOKEN=(__GENERATED__)?\s*$/m;
  if (!existsSync(path)) {
    const example = readFileSync(join(root, ".dev.vars.example"), "utf8");
    writeFileSync(path, example.replace(placeholder, `ADMIN_TOKEN=${randomToken()}`), { mode: 0o600 });
  } else if (placeholder.test(readFileSync(path, "utf8"))) {
    writeFileSync(path, readFileSync(path, "utf8").replace(placeholder, `ADMIN_TOKEN=${randomToken()}`));
  }
  const token = /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(path, "utf8"))?.[1]?.trim();
  if (!token) throw new Error(`${path} has no ADMIN_TOKEN`);
  return token;
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/**
 * Runs a command in its own process group (so stopping it also stops what it spawned) and hands
 * each output line to `onLine`.
 */
export function run(name, command, args, { onLine, env, cwd = ROOT } = {}) {
  const child = spawn(command, args, { cwd, env: childEnv(env), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) {
    // Colours are for terminals; these lines are prefixed, filtered and written to files.
    createInterface({ input: stream }).on("line", (line) => onLine?.(name, line.replace(/\x1b\[[0-9;]*m/g, "")));
  }
  const exited = new Promise((ok) => child.on("exit", (code, signal) => ok({ code, signal })));
  return { name, child, exited };
}

/** Stops a process group: SIGTERM, then SIGKILL when it lingers. */
export async function stopGroup(proc, graceMs = 5_000) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const signal = (sig) => {
    try {
      process.kill(-proc.child.pid, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await proc.exited;
  clearTimeout(timer);
  signal("SIGKILL"); // stragglers that ignored SIGTERM after their parent left
}

/**
 * Applies the local D1 migrations of both databases. Wrangler's tables are kept back: one line per
 * database on success, everything it said on failure.
 */
export async function migrate({ persistTo, onLine }) {
  const extra = persistTo ? ["--persist-to", persistTo] : [];
  for (const db of ["DB", "LAKE"]) {
    const name = `migrate ${db}`;
    const lines = [];
    const proc = run(name, join(BIN, "wrangler"), ["d1", "migrations", "apply", db, "--local", ...extra], {
      onLine: (_, line) => lines.push(line),
    });
    const { code, signal } = await proc.exited;
    if (code !== 0) {
      for (const line of lines) onLine?.(name, line);
      throw new Error(`${name} failed (${signal ?? `exit ${code}`})`);
    }
    const applied = lines.map((l) => /About to apply (\d+) migration/.exec(l)?.[1]).find(Boolean);
    onLine?.(name, applied ? `applied ${applied} migration(s)` : "up to date");
  }
}

/** Polls a URL until it answers with a status below 500, or the deadline passes. */
export async function waitFor(url, { timeoutMs = 120_000, isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`stopped before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = String(err?.cause?.code ?? err?.message ?? err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer in ${timeoutMs / 1000}s (${last})`);
}

/**
 * Starts the Worker, the cron ticker and the dashboard, and resolves once both answer.
 * Options: port, dashboardPort, persistTo (local state dir; wrangler's default when absent),
 * envFile (secrets file instead of .dev.vars), vars (extra wrangler vars), onLine(name, line).
 * Returns { apiUrl, dashboardUrl, stop() }.
 */
export async function startStack({ port = 8787, dashboardPort = 5173, persistTo, envFile, vars = {}, onLine } = {}) {
  await migrate({ persistTo, onLine });

  const apiUrl = `http://127.0.0.1:${port}`;
  const dashboardUrl = `http://localhost:${dashboardPort}`;
  const inspectorPort = await freePort();
  const wranglerArgs = [
    "dev",
    "--test-scheduled",
    "--port", String(port),
    "--ip", "127.0.0.1",
    "--inspector-port", String(inspectorPort),
    "--show-interactive-dev-session=false",
    ...(persistTo ? ["--persist-to", persistTo] : []),
    ...(envFile ? ["--env-file", envFile] : []),
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  // wrangler dev keeps running when the Worker does not build (it waits for a fix): notice, and stop.
  let buildError = null;
  const watchApi = (name, line) => {
    if (/\[ERROR\] Build failed/.test(line)) buildError = line.trim();
    onLine?.(name, line);
  };
  const procs = [
    run("api", join(BIN, "wrangler"), wranglerArgs, { onLine: watchApi }),
    run("dashboard", join(BIN, "vite"), ["dashboard", "--port", String(dashboardPort), "--strictPort"], {
      onLine,
      env: { DASHBOARD_PORT: String(dashboardPort), PIPEWATCH_API_URL: apiUrl },
    }),
  ];
  let stopTicker = () => {};
  const stop = async () => {
    stopTicker();
    await Promise.all(procs.map((p) => stopGroup(p)));
  };

  try {
    const alive = () => {
      if (buildError) throw new Error(`the Worker does not build: ${buildError}`);
      return procs.every((p) => p.child.exitCode === null && p.child.signalCode === null);
    };
    await Promise.all([
      waitFor(`${apiUrl}/api/health`, { isAlive: alive }),
      waitFor(dashboardUrl, { isAlive: alive }),
    ]);
    stopTicker = startTicker({
      apiUrl,
      crons: readCrons(join(ROOT, "wrangler.toml")),
      log: (line) => onLine?.("cron", line),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { apiUrl, dashboardUrl, procs, stop };
}
