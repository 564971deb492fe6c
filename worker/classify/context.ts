import { IndicatorSet } from "./indicator-set";
import type { Clock } from "./time-pattern";

// The state of one parse, shared by every decoder of a compiled schema. Decoders return the
// normalized value, `undefined` for "absent" (null, or "" where Panther reads it as null), or
// FAIL after recording why; a failing child records only its message, and each parent on the
// way back up adds its own path segment, so nothing is spent on paths while a line parses well.

export const FAIL: unique symbol = Symbol("fail");
export type Fail = typeof FAIL;

/** Nesting cap: deeper input fails cleanly instead of exhausting the stack. */
export const MAX_DEPTH = 100;

export class ParseContext {
  lossless = false;
  eventTime: string | null = null;
  /** Set once per context and cleared per parse: its lists are handed out, never reused. */
  private readonly found = new IndicatorSet();
  private foundAny = false;
  /** Fields decoded so far: how far a failing schema got, to pick the most telling failure. */
  matched = 0;
  needsSource = false;
  /** A decoder wrote into the input value: another schema must not read it as it is now. */
  mutated = false;
  message = "";
  /** Path segments of the failure, innermost first. */
  readonly segments: (string | number)[] = [];
  private clock: Clock = Date.now;
  private nowMs = NaN;
  readonly now: Clock = () => (Number.isNaN(this.nowMs) ? (this.nowMs = this.clock()) : this.nowMs);

  reset(lossless: boolean, clock: Clock): void {
    this.lossless = lossless;
    this.eventTime = null;
    if (this.foundAny) this.found.clear();
    this.foundAny = false;
    this.matched = 0;
    this.needsSource = false;
    this.mutated = false;
    this.message = "";
    // Setting an array's length is a runtime call; most parses never fill it.
    if (this.segments.length > 0) this.segments.length = 0;
    this.clock = clock;
    this.nowMs = NaN;
  }

  indicatorSet(): IndicatorSet {
    this.foundAny = true;
    return this.found;
  }

  /** The indicators of a successful parse, keyed by `p_any_*` name. */
  indicatorRecord(): Record<string, string[]> {
    return this.foundAny ? this.found.toRecord() : {};
  }

  fail(message: string): Fail {
    this.message = message;
    this.segments.length = 0;
    return FAIL;
  }

  /** The value's rounding matters: the line must be read again with exact number text. */
  needSource(): Fail {
    this.needsSource = true;
    return this.fail("a number is too large to read exactly");
  }

  /** `$.user.id`, `$.items[2]`, `$["odd key"]` */
  path(): string {
    let out = "$";
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const seg = this.segments[k];
      if (typeof seg === "number") out += `[${seg}]`;
      else out += /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
    }
    return out;
  }
}

export type Decoder = (v: unknown, ctx: ParseContext, depth: number) => unknown;
