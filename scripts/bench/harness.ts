/**
 * What the end-to-end benchmarks share: starting a Worker under `wrangler dev` on a free port with
 * a throwaway state directory, finding its workerd processes to sample their memory and CPU,
 * a small API client, a client pool and percentiles.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
// Plain JavaScript, shared with `npm start`.
import { ROOT, freePort, migrate, run, stopGroup, waitFor } from "../stack.mjs";

export { ROOT };

const BIN = join(ROOT, "node_modules", ".bin");

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  wrangler: string;
  platform: string;
  /** 1, 5 and 15-minute load averages when the bench started: other work on the machine moves absolute figures. */
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const wrangler = JSON.parse(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8")) as { version: string };
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    wrangler: wrangler.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg().map((l) => round(l, 2)),
  };
}

export function log(message: string) {
  process.stderr.write(`  ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Proc {
  name: string;
  child: { pid: number; exitCode: number | null; signalCode: string | null };
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/** Pids below `root` (children, grandchildren, ...), read from /proc. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent) {
      if (p === pid) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

export interface WorkerdPids {
  /** The workerd that runs the Worker itself (started with an inspector address). */
  runtime: number;
  /** The workerd in front of it that listens on the dev port (wrangler's proxy). */
  proxy: number | null;
}

function findWorkerd(root: number): WorkerdPids | null {
  let runtime: number | null = null;
  let proxy: number | null = null;
  for (const pid of descendants(root)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!cmd[0]?.endsWith("/workerd")) continue;
      if (cmd.some((a) => a.startsWith("--inspector-addr"))) runtime = pid;
      else proxy = pid;
    } catch {
      // gone meanwhile
    }
  }
  return runtime === null ? null : { runtime, proxy };
}

export interface ProcSample {
  rssKiB: number;
  /** Peak RSS over the process's life so far. */
  hwmKiB: number;
  /** user + system CPU time, ms. */
  cpuMs: number;
}

const TICKS_PER_S = 100; // USER_HZ on Linux

export function sampleProc(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after the name: state(0) ppid(1) ... utime(11) stime(12).
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
    return { rssKiB: kib("VmRSS"), hwmKiB: kib("VmHWM"), cpuMs };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Workers under wrangler dev

export interface RunningWorker {
  name: string;
  url: string;
  /** wrangler's inspector port (Chrome DevTools protocol), for profiling. */
  inspectorPort: number;
  pids: WorkerdPids;
  /** Output lines kept for the report when something goes wrong. */
  lines: string[];
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** wrangler config; Pipewatch's own when absent. */
  config?: string;
  /** Variables passed with --var. */
  vars?: Record<string, string>;
  /** Secrets written to an env file in the state directory (never .dev.vars). */
  secrets?: Record<string, string>;
  /** Apply Pipewatch's D1 migrations to the state directory first. */
  migrations?: boolean;
  testScheduled?: boolean;
}

const stateDirs: string[] = [];
const running = new Set<RunningWorker>();

/** Removes every state directory and stops every Worker still running (also on Ctrl-C). */
export async function cleanUp() {
  await Promise.all([...running].map((w) => w.stop()));
  for (const dir of stateDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

/**
 * Starts a Worker with `wrangler dev` (local D1, Durable Objects and queues) on a free port, with
 * its state in a fresh temporary directory, and waits until it answers.
 */
export async function startWorker(opts: StartOptions): Promise<RunningWorker> {
  const dir = mkdtempSync(join(tmpdir(), `pipewatch-bench-${opts.name}-`));
  stateDirs.push(dir);
  const persistTo = join(dir, "state");
  const lines: string[] = [];
  const keep = (_: string, line: string) => {
    lines.push(line);
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  if (opts.migrations) await migrate({ persistTo, onLine: keep });

  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [
    "dev",
    ...(opts.config ? ["-c", opts.config] : []),
    ...(opts.testScheduled ? ["--test-scheduled"] : []),
    "--port", String(port),
    "--ip", "127.0.0.1",
    "--inspector-port", String(inspectorPort),
    "--show-interactive-dev-session=false",
    "--persist-to", persistTo,
    ...Object.entries(opts.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  if (opts.secrets) {
    const envFile = join(dir, "secrets.env");
    writeFileSync(envFile, Object.entries(opts.secrets).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
    args.push("--env-file", envFile);
  }
  const proc = run(opts.name, join(BIN, "wrangler"), args, { onLine: keep }) as Proc;
  const url = `http://127.0.0.1:${port}`;
  const worker: RunningWorker = {
    name: opts.name,
    url,
    inspectorPort,
    pids: { runtime: 0, proxy: null },
    lines,
    stop: async () => {
      running.delete(worker);
      await stopGroup(proc);
    },
  };
  running.add(worker);
  try {
    const alive = () => {
      const failed = lines.find((l) => /\[ERROR\]/.test(l));
      if (failed) throw new Error(`${opts.name}: ${failed.trim()}`);
      return proc.child.exitCode === null && proc.child.signalCode === null;
    };
    await waitFor(`${url}${opts.config ? "/health" : "/api/health"}`, { isAlive: alive, timeoutMs: 120_000 });
    const pids = findWorkerd(proc.child.pid);
    if (!pids) throw new Error(`${opts.name}: no workerd process found under wrangler (pid ${proc.child.pid})`);
    worker.pids = pids;
  } catch (err) {
    await worker.stop();
    throw new Error(`${(err as Error).message}\n${lines.slice(-30).join("\n")}`);
  }
  return worker;
}

// ---------------------------------------------------------------------------------------------
// HTTP

export class Api {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  async call<T = any>(method: string, path: string, body?: unknown, expect: number[] = [200, 201, 202]): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as T) : (null as T);
    if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return { status: res.status, body: parsed };
  }

  /** Every page of a list. */
  async all<T = any>(path: string): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const page: { results: T[]; next: string | null } = (
        await this.call("GET", `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)
      ).body;
      out.push(...page.results);
      cursor = page.next;
    } while (cursor);
    return out;
  }
}

/** Runs `count` tasks with `concurrency` clients; each client takes the next task when done. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
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

// ---------------------------------------------------------------------------------------------
// Figures

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);
export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
