// Cron triggers for local runs. `wrangler dev` never fires crons by itself; the ticker below calls
// `/__scheduled?cron=<expr>` for every cron of wrangler.toml on its schedule, so a local stack
// behaves like production.
import { readFileSync } from "node:fs";

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
];

/** The values one field allows: `*`, `*​/n`, `a`, `a-b`, `a-b/n`, and comma-separated lists of those. */
function parseField(text, { name, min, max }) {
  const values = new Set();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${name}: cannot read '${part}'`);
    const from = m[1] === "*" ? min : Number(m[2]);
    const to = m[1] === "*" ? max : m[3] !== undefined ? Number(m[3]) : m[4] ? max : from;
    const step = m[4] ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`cron ${name}: '${part}' is out of range`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Parses a 5-field cron expression (minute hour day-of-month month day-of-week). */
export function parseCron(expr) {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron '${expr}': expected 5 fields, got ${parts.length}`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]));
  if (dow.has(7)) dow.add(0); // 7 and 0 are both Sunday
  return { expr, minute, hour, dom, month, dow, domAny: parts[2] === "*", dowAny: parts[4] === "*" };
}

/** Whether a parsed cron fires in the minute of `date` (UTC, as Cloudflare runs crons). */
export function cronMatches(cron, date) {
  if (!cron.minute.has(date.getUTCMinutes()) || !cron.hour.has(date.getUTCHours())) return false;
  if (!cron.month.has(date.getUTCMonth() + 1)) return false;
  const domOk = cron.dom.has(date.getUTCDate());
  const dowOk = cron.dow.has(date.getUTCDay());
  // Classic cron: when both day fields are restricted, either one matching is enough.
  if (!cron.domAny && !cron.dowAny) return domOk || dowOk;
  return domOk && dowOk;
}

/** The `crons = [...]` of the `[triggers]` table of a wrangler.toml. */
export function readCrons(wranglerTomlPath) {
  const text = readFileSync(wranglerTomlPath, "utf8");
  const table = /^\[triggers\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text);
  const list = table && /^\s*crons\s*=\s*\[([\s\S]*?)\]/m.exec(table[1].replace(/#.*$/gm, ""));
  if (!list) return [];
  return [...list[1].matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]);
}

/**
 * Calls `${apiUrl}/__scheduled?cron=<expr>` for each cron whose schedule matches the current
 * minute, a second after each minute starts. Reports only changes (first failure, recovery), so a
 * healthy ticker stays silent. Returns a function that stops it.
 */
export function startTicker({ apiUrl, crons, log, now = () => new Date() }) {
  const parsed = crons.map(parseCron);
  const lastOk = new Map();
  let timer;
  let stopped = false;

  async function fire(cron) {
    const url = `${apiUrl}/__scheduled?cron=${encodeURIComponent(cron.expr)}`;
    let ok = false;
    let why = "";
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      ok = res.ok;
      why = `${res.status} ${(await res.text()).slice(0, 200).trim()}`;
    } catch (err) {
      why = String(err?.cause?.code ?? err?.message ?? err);
    }
    if (lastOk.get(cron.expr) !== ok) {
      log(ok ? `cron '${cron.expr}' fired` : `cron '${cron.expr}' failed: ${why}`);
      lastOk.set(cron.expr, ok);
    }
  }

  function schedule() {
    if (stopped) return;
    const t = now();
    const wait = 60_000 - (t.getTime() % 60_000) + 1_000;
    timer = setTimeout(() => {
      const at = now();
      for (const cron of parsed) if (cronMatches(cron, at)) void fire(cron);
      schedule();
    }, wait);
  }

  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
