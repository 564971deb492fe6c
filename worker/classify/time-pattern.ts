import { daysInMonth, isLeapYear, isoFromMs, utcMs } from "./iso-time";

// The matcher behind strftime patterns and Go layouts: both compile to a list of steps, each
// reading one element of the input into a `TimeParts` record; `finishParts` then checks the
// ranges and yields the stored ISO form. One record per compiled pattern is reused, since a
// Worker isolate runs one parse at a time and a step never re-enters the pattern.

export interface TimeParts {
  year: number; // NaN when the pattern has no year
  century: number; // %C; NaN when absent
  month: number;
  day: number;
  yday: number; // day of the year, NaN when absent
  hour: number;
  minute: number;
  second: number;
  millis: number;
  pm: number; // -1 no AM/PM element, 0 AM, 1 PM
  offsetMin: number; // NaN: no zone element, read as UTC
  epochSec: number; // %s; NaN when absent
}

/** Reads from `i`; answers the index after what it read, or -1 when the input does not match. */
export type Step = (s: string, i: number, p: TimeParts) => number;

export function newParts(): TimeParts {
  return { year: NaN, century: NaN, month: 1, day: 1, yday: NaN, hour: 0, minute: 0, second: 0, millis: 0, pm: -1, offsetMin: NaN, epochSec: NaN };
}

function resetParts(p: TimeParts): void {
  p.year = NaN;
  p.century = NaN;
  p.month = 1;
  p.day = 1;
  p.yday = NaN;
  p.hour = 0;
  p.minute = 0;
  p.second = 0;
  p.millis = 0;
  p.pm = -1;
  p.offsetMin = NaN;
  p.epochSec = NaN;
}

/** Year inference for yearless formats (syslog's `%b %d %H:%M:%S`): see `finishParts`. */
export type Clock = () => number;

/** Runs the steps over the whole of `s`; the stored ISO form or undefined. */
export function runPattern(steps: Step[], p: TimeParts, s: string, now: Clock): string | undefined {
  resetParts(p);
  let i = 0;
  for (let k = 0; k < steps.length; k++) {
    i = steps[k](s, i, p);
    if (i < 0) return undefined;
  }
  if (i !== s.length) return undefined;
  return finishParts(p, now);
}

const FUTURE_SLACK_MS = 31 * 86_400_000;

function finishParts(p: TimeParts, now: Clock): string | undefined {
  if (!Number.isNaN(p.epochSec)) return isoFromMs(p.epochSec * 1000 + p.millis);
  let hour = p.hour;
  if (p.pm >= 0) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (p.pm === 1 ? 12 : 0);
  }
  if (hour > 23 || p.minute > 59 || p.second > 59) return undefined;
  const offset = Number.isNaN(p.offsetMin) ? 0 : p.offsetMin;
  let year = p.year;
  if (!Number.isNaN(p.century)) year = p.century * 100 + (Number.isNaN(year) ? 0 : year % 100);
  const inferYear = Number.isNaN(year);
  const nowMs = inferYear ? now() : 0;
  if (inferYear) year = new Date(nowMs).getUTCFullYear();
  const ms = dateMs(p, year, hour, offset);
  if (ms === undefined) return undefined;
  // A yearless stamp more than a month ahead of now was written last year (December logs read
  // in January), as syslog readers conventionally assume.
  if (inferYear && ms - nowMs > FUTURE_SLACK_MS) {
    const prev = dateMs(p, year - 1, hour, offset);
    return prev === undefined ? undefined : isoFromMs(prev);
  }
  return isoFromMs(ms);
}

function dateMs(p: TimeParts, year: number, hour: number, offset: number): number | undefined {
  let month = p.month;
  let day = p.day;
  if (!Number.isNaN(p.yday)) {
    if (p.yday < 1 || p.yday > (isLeapYear(year) ? 366 : 365)) return undefined;
    let left = p.yday;
    month = 1;
    while (left > daysInMonth(year, month)) left -= daysInMonth(year, month++);
    day = left;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return utcMs(year, month, day, hour, p.minute, p.second, p.millis) - offset * 60_000;
}
