import { daysInMonth, isoFromMs, millisOf, utcMs } from "./iso-time";

// RFC 3339 (section 5.6) by hand, because it is the format of most timestamps in most logs and
// `Date.parse` is both slower and laxer (it takes "2020-01-01" or "Jan 1 2020"). Accepted:
// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, with `t`/`z` in either case as the RFC allows and 1–9
// fraction digits as Go's time.RFC3339Nano (Panther's parser) does. Leap second 60 is refused,
// as Go refuses it. A UTC value is rewritten by slicing, without building a Date.

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The stored ISO form of an RFC 3339 timestamp, or undefined when `s` is not one. */
export function parseRfc3339(s: string): string | undefined {
  const n = s.length;
  if (n < 20) return undefined;
  const c1 = d2(s, 0);
  const c2 = d2(s, 2);
  const mo = d2(s, 5);
  const d = d2(s, 8);
  const h = d2(s, 11);
  const mi = d2(s, 14);
  const sec = d2(s, 17);
  if ((c1 | c2 | mo | d | h | mi | sec) < 0) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return undefined;
  }
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 116) return undefined;
  const y = c1 * 100 + c2;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;

  let i = 19;
  let fracStart = 0;
  let fracLen = 0;
  if (s.charCodeAt(i) === 46) {
    fracStart = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    fracLen = i - fracStart;
    if (fracLen < 1 || fracLen > 9) return undefined;
  }
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return undefined;
    // Already in stored form: hand the same string back.
    if (n === 24 && fracLen === 3 && t === 84 && z === 90) return s;
    const ms = fracLen === 0 ? "000" : fracLen >= 3 ? s.slice(fracStart, fracStart + 3) : s.slice(fracStart, i).padEnd(3, "0");
    const head = t === 84 ? s.slice(0, 19) : `${s.slice(0, 10)}T${s.slice(11, 19)}`;
    return fracLen === 0 ? head + ".000Z" : `${head}.${ms}Z`;
  }
  if ((z !== 43 && z !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return undefined;
  const oh = d2(s, i + 1);
  const om = d2(s, i + 4);
  if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
  const offset = (oh * 60 + om) * (z === 45 ? -1 : 1);
  const ms = fracLen === 0 ? 0 : millisOf(s, fracStart, fracLen);
  return isoFromMs(utcMs(y, mo, d, h, mi, sec, ms) - offset * 60_000);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
