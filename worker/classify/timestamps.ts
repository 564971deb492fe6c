import { compileGoLayout } from "./go-layout";
import { isoFromMs } from "./iso-time";
import { parseRfc3339 } from "./rfc3339";
import { compileStrftime } from "./strftime";
import { newParts, runPattern, type Clock } from "./time-pattern";

// A schema's `timeFormat` turned into a function from the JSON value to the stored ISO form.
// Numbers beyond 2^53 arrive rounded from JSON.parse; when that rounding could move the result,
// the parser answers NEEDS_SOURCE and the caller re-reads the line with exact number text.

export const NEEDS_SOURCE = Symbol("needs-source");
/** ISO text; undefined when the value does not match the format. */
export type TimeParser = (v: string | number, now: Clock) => string | undefined | typeof NEEDS_SOURCE;

export const BUILTIN_TIME_FORMATS = ["rfc3339", "unix", "unix_ms", "unix_us", "unix_ns", "cloudflare"] as const;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** Seconds, fractional allowed; kept to the microsecond first, as Panther does, then truncated. */
function fromSeconds(sec: number): string | undefined {
  if (!Number.isFinite(sec)) return undefined;
  return isoFromMs(Math.floor(Math.round(sec * 1e6) / 1000));
}

const unixSeconds: TimeParser = (v) => {
  if (typeof v === "number") return fromSeconds(v);
  return DECIMAL.test(v) ? fromSeconds(Number(v)) : undefined;
};

/** Integer counts of a unit, `perMs` of them to the millisecond: numbers or integer strings. */
function unixInteger(perMs: number): TimeParser {
  const big = BigInt(perMs);
  return (v) => {
    if (typeof v === "string") {
      if (!INTEGER.test(v)) return undefined;
      const n = BigInt(v);
      let q = n / big;
      if (n < 0n && q * big !== n) q -= 1n;
      return isoFromMs(Number(q));
    }
    if (!Number.isInteger(v)) return undefined;
    if (Number.isSafeInteger(v)) return isoFromMs(Math.floor(v / perMs));
    // A rounded double: the millisecond is certain unless the value sits within a couple of
    // units of rounding (ulp) of a millisecond boundary, where the exact digits decide.
    const ulp = 2 ** (Math.floor(Math.log2(Math.abs(v))) - 52);
    const q = Math.floor(v / perMs);
    const rest = v - q * perMs;
    if (v < 0 || rest < 2 * ulp || rest > perMs - 2 * ulp) return NEEDS_SOURCE;
    return isoFromMs(q);
  };
}

const unixMs = unixInteger(1);
const unixUs = unixInteger(1000);
const unixNs = unixInteger(1_000_000);

// Cloudflare Logpush writes `unix` (seconds), `unixnano` or `rfc3339`; the number's size says
// which unit it is in (seconds stay below 1e11 until the year 5138). Milli- and microseconds,
// between the two, are taken too.
function byMagnitude(abs: number): TimeParser {
  if (abs < 1e11) return unixSeconds;
  if (abs < 1e14) return unixMs;
  if (abs < 1e17) return unixUs;
  return unixNs;
}

const cloudflare: TimeParser = (v, now) => {
  if (typeof v === "number") return byMagnitude(Math.abs(v))(v, now);
  if (INTEGER.test(v)) return byMagnitude(10 ** (v.replace(/^[+-]/, "").length - 1))(v, now);
  if (DECIMAL.test(v)) return unixSeconds(v, now);
  return parseRfc3339(v);
};

const rfc3339: TimeParser = (v) => (typeof v === "string" ? parseRfc3339(v) : undefined);

const BUILTIN: Record<(typeof BUILTIN_TIME_FORMATS)[number], TimeParser> = {
  rfc3339,
  unix: unixSeconds,
  unix_ms: unixMs,
  unix_us: unixUs,
  unix_ns: unixNs,
  cloudflare,
};

export type CompiledTimeFormat = { ok: true; parse: TimeParser } | { ok: false; error: string };

/** rfc3339 | unix | unix_ms | unix_us | unix_ns | cloudflare | a strftime pattern | layout=<Go layout> */
export function compileTimeFormat(format: string): CompiledTimeFormat {
  if (Object.hasOwn(BUILTIN, format)) return { ok: true, parse: BUILTIN[format as keyof typeof BUILTIN] };
  let compiled;
  if (format.startsWith("layout=")) compiled = compileGoLayout(format.slice("layout=".length));
  else if (format.includes("%")) compiled = compileStrftime(format);
  else {
    return {
      ok: false,
      error: `unknown time format "${format}": use ${BUILTIN_TIME_FORMATS.join(", ")}, a strftime pattern such as "%Y-%m-%d %H:%M:%S", or layout= and a Go layout`,
    };
  }
  if (!compiled.ok) return compiled;
  const { steps } = compiled;
  const parts = newParts();
  return { ok: true, parse: (v, now) => (typeof v === "string" ? runPattern(steps, parts, v, now) : undefined) };
}
