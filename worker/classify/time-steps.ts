import type { Step, TimeParts } from "./time-pattern";

// Building blocks shared by the strftime and Go-layout compilers.

type Setter = (p: TimeParts, v: number) => void;

export const set = {
  year(p, v) {
    p.year = v;
  },
  // Two-digit years pivot at 69, as POSIX strptime and Go both do: 69–99 → 19xx, 00–68 → 20xx.
  year2(p, v) {
    p.year = v >= 69 ? 1900 + v : 2000 + v;
  },
  century(p, v) {
    p.century = v;
  },
  month(p, v) {
    p.month = v;
  },
  day(p, v) {
    p.day = v;
  },
  yday(p, v) {
    p.yday = v;
  },
  hour(p, v) {
    p.hour = v;
  },
  minute(p, v) {
    p.minute = v;
  },
  second(p, v) {
    p.second = v;
  },
  ignore() {},
} satisfies Record<string, Setter>;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * `min`–`max` digits (greedy). `leadingSpaces` lets a space-padded value (`_2`, `%e`, and glibc's
 * numeric conversions) through.
 */
export function digits(min: number, max: number, into: Setter, leadingSpaces = false): Step {
  return (s, i, p) => {
    if (leadingSpaces) while (s.charCodeAt(i) === 32) i++;
    let v = 0;
    let n = 0;
    while (n < max && isDigit(s.charCodeAt(i + n))) v = v * 10 + s.charCodeAt(i + n++) - 48;
    if (n < min) return -1;
    into(p, v);
    return i + n;
  };
}

/** Exactly the given text. */
export function literal(text: string): Step {
  return (s, i) => (s.startsWith(text, i) ? i + text.length : -1);
}

/** Zero or more whitespace characters (a space in a strftime pattern, as in strptime). */
export const optionalSpace: Step = (s, i) => {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
};

/** One or more spaces, or the end of input (a space in a Go layout, as Go's `skip` does). */
export const goSpace: Step = (s, i) => {
  if (i >= s.length) return i;
  if (s.charCodeAt(i) !== 32) return -1;
  while (s.charCodeAt(i) === 32) i++;
  return i;
};

/** One of `names` (case-insensitive, longest first); its index + `base` goes to `into`. */
export function oneOf(names: readonly string[], into: Setter, base = 1): Step {
  const order = names.map((name, idx) => ({ lower: name.toLowerCase(), idx })).sort((a, b) => b.lower.length - a.lower.length);
  return (s, i, p) => {
    for (const { lower, idx } of order) {
      if (s.substr(i, lower.length).toLowerCase() === lower) {
        into(p, idx + base);
        return i + lower.length;
      }
    }
    return -1;
  };
}

export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const MONTHS_ABBR = MONTHS.map((m) => m.slice(0, 3));
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const WEEKDAYS_ABBR = WEEKDAYS.map((d) => d.slice(0, 3));

/** AM / PM, either case. */
export const ampm: Step = (s, i, p) => {
  const two = s.substr(i, 2).toUpperCase();
  if (two === "AM" || two === "PM") {
    p.pm = two === "PM" ? 1 : 0;
    return i + 2;
  }
  return -1;
};

/**
 * A fraction of a second: a `.` or `,` then digits (`exact` of them, or 1–9 when `exact` is 0).
 * `optional`: no separator-and-digit here is fine.
 */
export function fraction(exact: number, optional: boolean): Step {
  return (s, i, p) => {
    const sep = s.charCodeAt(i);
    if ((sep !== 46 && sep !== 44) || !isDigit(s.charCodeAt(i + 1))) return optional ? i : -1;
    return fractionDigits(exact)(s, i + 1, p);
  };
}

/** Fraction digits without a separator (strftime `%f`, `%L`, `%N`). */
export function fractionDigits(exact: number, maxDigits = 9): Step {
  return (s, i, p) => {
    let n = 0;
    let ms = 0;
    while (isDigit(s.charCodeAt(i + n))) {
      if (n < 3) ms = ms * 10 + s.charCodeAt(i + n) - 48;
      n++;
    }
    if (exact ? n !== exact : n < 1 || n > maxDigits) return -1;
    for (let k = n; k < 3; k++) ms *= 10;
    p.millis = ms;
    return i + n;
  };
}

export type OffsetForm = "hh" | "hhmm" | "hh:mm" | "hhmmss" | "hh:mm:ss" | "any";

// The digit shapes each form accepts, longest first so `+05:30` is not read as `+05`.
const OFFSET_SHAPES: Record<OffsetForm, string[]> = {
  hh: ["dd"],
  hhmm: ["dddd"],
  "hh:mm": ["dd:dd"],
  hhmmss: ["dddddd"],
  "hh:mm:ss": ["dd:dd:dd"],
  any: ["dd:dd", "dddd", "dd"],
};

/**
 * A numeric UTC offset. `allowZ` takes a literal `Z` for UTC (Go's `Z07:00` family and `%z`).
 * "any" (strftime `%z`) takes ±hh, ±hhmm or ±hh:mm.
 */
export function offset(form: OffsetForm, allowZ: boolean): Step {
  return (s, i, p) => {
    const c = s.charCodeAt(i);
    if (allowZ && (c === 90 || c === 122)) {
      p.offsetMin = 0;
      return i + 1;
    }
    if (c !== 43 && c !== 45) return -1;
    const sign = c === 45 ? -1 : 1;
    const body = /^(\d\d)(?::?(\d\d))?(?::?(\d\d))?/.exec(s.slice(i + 1, i + 10));
    if (!body) return -1;
    const [whole, hh, mm, ss] = body;
    const shape = whole.replace(/\d/g, "d");
    const ok = OFFSET_SHAPES[form].find((w) => shape.startsWith(w));
    if (!ok) return -1;
    const h = Number(hh);
    const m = ok.length > 2 ? Number(mm) : 0;
    const sec = ok.length > 5 ? Number(ss) : 0;
    if (h > 23 || m > 59 || sec > 59) return -1;
    p.offsetMin = sign * (h * 60 + m + sec / 60);
    return i + 1 + ok.length;
  };
}

// Zone abbreviations with one unambiguous offset. Go reads an unknown abbreviation as UTC; here it
// is refused instead, so a line never gets a silently wrong time. IST, BST and the like mean
// different offsets in different places and are left out on purpose; CST is US Central.
const ZONES: Record<string, number> = {
  UTC: 0, UT: 0, GMT: 0, Z: 0, WET: 0,
  WEST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180,
  JST: 540, KST: 540, AEST: 600, AEDT: 660, ACST: 570, AWST: 480, NZST: 720, NZDT: 780,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600,
};

/** A zone abbreviation (`MST`, `%Z`). */
export const zoneName: Step = (s, i, p) => {
  const m = /^[A-Za-z]{1,5}/.exec(s.slice(i, i + 6));
  if (!m) return -1;
  const off = ZONES[m[0].toUpperCase()];
  if (off === undefined) return -1;
  p.offsetMin = off;
  return i + m[0].length;
};

/** Seconds since the epoch (`%s`). */
export const epochSeconds: Step = (s, i, p) => {
  const m = /^-?\d+/.exec(s.slice(i, i + 20));
  if (!m) return -1;
  p.epochSec = Number(m[0]);
  return i + m[0].length;
};
