// The one timestamp form every stored event uses: `YYYY-MM-DDTHH:MM:SS.sssZ`, the form of
// `Date#toISOString`. It is fixed-width, so the text order is the time order (D1 compares
// `p_event_time` as text), and it matches the `p_parse_time` the rest of Pipewatch writes.
// Sub-millisecond digits are truncated; years outside 0000–9999 are refused so the width holds.

const MS_PER_DAY = 86_400_000;
/** 0000-01-01T00:00:00.000Z */
export const MIN_TIME_MS = -62_167_219_200_000;
/** 9999-12-31T23:59:59.999Z */
export const MAX_TIME_MS = 253_402_300_799_999;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1];
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). Used
 * instead of `Date.UTC`, which maps years 0–99 to 1900–1999.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Milliseconds since the epoch of a UTC wall-clock time; fields must already be in range. */
export function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  return daysFromCivil(y, mo, d) * MS_PER_DAY + h * 3_600_000 + mi * 60_000 + s * 1000 + ms;
}

/** The stored form of an instant, or undefined when it falls outside years 0000–9999. */
export function isoFromMs(ms: number): string | undefined {
  if (!(ms >= MIN_TIME_MS && ms <= MAX_TIME_MS)) return undefined;
  return new Date(ms).toISOString();
}

/** The first three digits of a fraction that starts at `from` and has `n` digits, zero-padded. */
export function millisOf(s: string, from: number, n: number): number {
  let ms = 0;
  for (let k = 0; k < 3; k++) ms = ms * 10 + (k < n ? s.charCodeAt(from + k) - 48 : 0);
  return ms;
}
