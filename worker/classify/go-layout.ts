import type { Step } from "./time-pattern";
import type { CompiledPattern } from "./strftime";
import {
  MONTHS,
  MONTHS_ABBR,
  WEEKDAYS,
  WEEKDAYS_ABBR,
  ampm,
  digits,
  fraction,
  goSpace,
  literal,
  offset,
  oneOf,
  set,
  zoneName,
  type OffsetForm,
} from "./time-steps";

// Go reference layouts (`layout=Jan _2 15:04:05`), recognised the way Go's time package finds
// its elements in a layout (nextStdChunk) and read the way time.Parse reads them: `01` needs two
// digits, `1` and `2` take one or two, `_2` allows a leading space, a run of spaces matches a
// run of spaces, and a fraction after the seconds is read even when the layout has none.

type Chunk = { len: number; step: Step; isFraction?: boolean; isSeconds?: boolean };

const isLower = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";
const isDigitChar = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

const ZONE_CHUNKS: [string, OffsetForm][] = [
  ["070000", "hhmmss"],
  ["07:00:00", "hh:mm:ss"],
  ["0700", "hhmm"],
  ["07:00", "hh:mm"],
  ["07", "hh"],
];

/** The layout element starting at `i`, or undefined when the character there is literal text. */
function chunkAt(layout: string, i: number): Chunk | undefined {
  const rest = layout.slice(i);
  const after = (n: number) => layout[i + n];
  switch (layout[i]) {
    case "J":
      if (rest.startsWith("January")) return { len: 7, step: oneOf(MONTHS, set.month) };
      if (rest.startsWith("Jan") && !isLower(after(3))) return { len: 3, step: oneOf(MONTHS_ABBR, set.month) };
      return undefined;
    case "M":
      if (rest.startsWith("Monday")) return { len: 6, step: oneOf(WEEKDAYS, set.ignore) };
      if (rest.startsWith("Mon") && !isLower(after(3))) return { len: 3, step: oneOf(WEEKDAYS_ABBR, set.ignore) };
      if (rest.startsWith("MST")) return { len: 3, step: zoneName };
      return undefined;
    case "0":
      if (rest.startsWith("002")) return { len: 3, step: digits(3, 3, set.yday) };
      switch (after(1)) {
        case "1": return { len: 2, step: digits(2, 2, set.month) };
        case "2": return { len: 2, step: digits(2, 2, set.day) };
        case "3": return { len: 2, step: digits(2, 2, set.hour) };
        case "4": return { len: 2, step: digits(2, 2, set.minute) };
        case "5": return { len: 2, step: digits(2, 2, set.second), isSeconds: true };
        case "6": return { len: 2, step: digits(2, 2, set.year2) };
      }
      return undefined;
    case "1":
      if (after(1) === "5") return { len: 2, step: digits(1, 2, set.hour) };
      return { len: 1, step: digits(1, 2, set.month) };
    case "2":
      if (rest.startsWith("2006")) return { len: 4, step: digits(4, 4, set.year) };
      return { len: 1, step: digits(1, 2, set.day) };
    case "_":
      if (rest.startsWith("__2")) return { len: 3, step: digits(1, 3, set.yday, true) };
      // "_2006" is a literal underscore before a year, as in Go.
      if (rest.startsWith("_2") && !rest.startsWith("_2006")) return { len: 2, step: digits(1, 2, set.day, true) };
      return undefined;
    case "3":
      return { len: 1, step: digits(1, 2, set.hour) };
    case "4":
      return { len: 1, step: digits(1, 2, set.minute) };
    case "5":
      return { len: 1, step: digits(1, 2, set.second), isSeconds: true };
    case "P":
      return rest.startsWith("PM") ? { len: 2, step: ampm } : undefined;
    case "p":
      return rest.startsWith("pm") ? { len: 2, step: ampm } : undefined;
    case "-":
    case "Z": {
      const allowZ = layout[i] === "Z";
      for (const [text, form] of ZONE_CHUNKS) {
        if (rest.startsWith(text, 1)) return { len: 1 + text.length, step: offset(form, allowZ) };
      }
      return undefined;
    }
    case ".":
    case ",": {
      const digit = after(1);
      if (digit !== "0" && digit !== "9") return undefined;
      let j = i + 1;
      while (layout[j] === digit) j++;
      if (isDigitChar(layout[j])) return undefined;
      const n = j - i - 1;
      return { len: j - i, step: digit === "0" ? fraction(n, false) : fraction(0, true), isFraction: true };
    }
  }
  return undefined;
}

/** Compiles the part after `layout=`; a layout without any date or time element is an error. */
export function compileGoLayout(layout: string): CompiledPattern {
  const chunks: (Chunk | string)[] = [];
  let text = "";
  for (let i = 0; i < layout.length; ) {
    const chunk = chunkAt(layout, i);
    if (chunk) {
      if (text) chunks.push(text);
      text = "";
      chunks.push(chunk);
      i += chunk.len;
    } else {
      text += layout[i++];
    }
  }
  if (text) chunks.push(text);
  if (!chunks.some((c) => typeof c !== "string")) {
    return { ok: false, error: "the layout has no date or time element (Go reference time: Mon Jan 2 15:04:05 MST 2006)" };
  }
  const steps: Step[] = [];
  chunks.forEach((c, k) => {
    if (typeof c === "string") {
      for (const part of c.split(/( +)/)) if (part) steps.push(part.startsWith(" ") ? goSpace : literal(part));
      return;
    }
    steps.push(c.step);
    const next = chunks[k + 1];
    if (c.isSeconds && !(next && typeof next !== "string" && next.isFraction)) steps.push(fraction(0, true));
  });
  return { ok: true, steps };
}
