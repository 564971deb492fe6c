import type { Step } from "./time-pattern";
import {
  MONTHS,
  MONTHS_ABBR,
  WEEKDAYS,
  WEEKDAYS_ABBR,
  ampm,
  digits,
  epochSeconds,
  fraction,
  fractionDigits,
  literal,
  offset,
  oneOf,
  optionalSpace,
  set,
  zoneName,
} from "./time-steps";

// strftime patterns read as POSIX/glibc strptime reads them: a space in the pattern matches any
// run of whitespace (or none), numeric fields take 1–2 digits after optional spaces, month and
// weekday names are case-insensitive and either full or abbreviated, and no zone means UTC.
// One addition, taken from Go: a fraction of a second right after `%S` is read even when the
// pattern does not spell it out, unless the pattern itself continues with `.` or `,`.

// Composite directives, in the C locale.
const EXPANSIONS: Record<string, string> = {
  T: "%H:%M:%S",
  D: "%m/%d/%y",
  F: "%Y-%m-%d",
  R: "%H:%M",
  r: "%I:%M:%S %p",
  c: "%a %b %e %H:%M:%S %Y",
  x: "%m/%d/%y",
  X: "%H:%M:%S",
};

const months = oneOf([...MONTHS, ...MONTHS_ABBR], (p, v) => (p.month = ((v - 1) % 12) + 1));
const weekdays = oneOf([...WEEKDAYS, ...WEEKDAYS_ABBR], set.ignore);

const DIRECTIVES: Record<string, Step> = {
  Y: digits(4, 4, set.year),
  y: digits(2, 2, set.year2),
  C: digits(2, 2, set.century),
  m: digits(1, 2, set.month, true),
  d: digits(1, 2, set.day, true),
  e: digits(1, 2, set.day, true),
  j: digits(1, 3, set.yday, true),
  H: digits(1, 2, set.hour, true),
  k: digits(1, 2, set.hour, true),
  I: digits(1, 2, set.hour, true),
  l: digits(1, 2, set.hour, true),
  M: digits(1, 2, set.minute, true),
  S: digits(1, 2, set.second, true),
  f: fractionDigits(0),
  L: fractionDigits(3),
  N: fractionDigits(0),
  p: ampm,
  P: ampm,
  b: months,
  B: months,
  h: months,
  a: weekdays,
  A: weekdays,
  U: digits(1, 2, set.ignore, true),
  W: digits(1, 2, set.ignore, true),
  w: digits(1, 1, set.ignore),
  u: digits(1, 1, set.ignore),
  z: offset("any", true),
  Z: zoneName,
  s: epochSeconds,
  n: optionalSpace,
  t: optionalSpace,
};

export type CompiledPattern = { ok: true; steps: Step[] } | { ok: false; error: string };

/** Compiles a strftime pattern; unknown directives are an error that names them. */
export function compileStrftime(pattern: string): CompiledPattern {
  const expanded = pattern.replace(/%([-_0^#]?)([TDFRrcxX])/g, (_, _flag: string, d: string) => EXPANSIONS[d]);
  const steps: Step[] = [];
  let text = "";
  const flush = () => {
    if (text) steps.push(literal(text));
    text = "";
  };
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i];
    if (/\s/.test(c)) {
      flush();
      while (i + 1 < expanded.length && /\s/.test(expanded[i + 1])) i++;
      steps.push(optionalSpace);
      continue;
    }
    if (c !== "%") {
      text += c;
      continue;
    }
    // GNU padding flags (%-d, %_H, %0e) change only formatting; reading takes any padding.
    let d = expanded[++i];
    if (d !== undefined && "-_0^#".includes(d) && i + 1 < expanded.length) d = expanded[++i];
    if (d === "%") {
      text += "%";
      continue;
    }
    const step = d === undefined ? undefined : DIRECTIVES[d];
    if (!step || !Object.hasOwn(DIRECTIVES, d)) {
      return { ok: false, error: d === undefined ? "a pattern cannot end with %" : `unknown strftime directive %${d}` };
    }
    flush();
    steps.push(step);
    if (d === "S" && expanded[i + 1] !== "." && expanded[i + 1] !== ",") steps.push(fraction(0, true));
  }
  flush();
  return { ok: true, steps };
}
