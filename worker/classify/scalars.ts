import { FAIL, MAX_DEPTH, type Decoder, type ParseContext } from "./context";
import { describeValue } from "./describe";
import { isRawJSON, rawJSON } from "./lossless";

// Scalar decoders, with the coercions of Panther's null.* readers (pantherlog/null): numbers and
// booleans also come as strings ("42", "true"), "" reads as absent for them, and a string field
// takes numbers and booleans as their text. Objects and arrays never become scalars.

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export const expected = (ctx: ParseContext, what: string, v: unknown) => ctx.fail(`expected ${what}, got ${describeValue(v)}`);

/** A string; numbers become their JS text (exact: integers beyond 2^53 are re-read losslessly). */
export const decodeString: Decoder = (v, ctx) => {
  if (typeof v === "string") return v;
  if (typeof v === "number") {
    if (Number.isSafeInteger(v) || !Number.isInteger(v)) return String(v);
    return ctx.lossless ? BigInt(v).toString() : ctx.needSource();
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  if (ctx.lossless && isRawJSON(v)) return v.rawJSON;
  return expected(ctx, "string", v);
};

/** int (32-bit) and smallint (16-bit): integral numbers or integer strings within range. */
export function integerDecoder(type: string, min: number, max: number): Decoder {
  const check = (n: number, v: unknown, ctx: ParseContext) =>
    Number.isInteger(n) && n >= min && n <= max ? n : expected(ctx, Number.isInteger(n) ? `${type} (${min} to ${max})` : type, v);
  return (v, ctx) => {
    if (typeof v === "number") return check(v, v, ctx);
    if (typeof v === "string") {
      if (v === "") return undefined;
      return INTEGER.test(v) ? check(Number(v), v, ctx) : expected(ctx, type, v);
    }
    if (ctx.lossless && isRawJSON(v)) return check(Number(v.rawJSON), v, ctx);
    return expected(ctx, type, v);
  };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * bigint (64-bit). Safe integers stay numbers; larger ones are kept exact as RawJSON, which
 * JSON.stringify writes as the plain number, so the stored JSON still holds a number.
 */
export const decodeBigint: Decoder = (v, ctx) => {
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return v;
    if (!Number.isInteger(v)) return expected(ctx, "bigint", v);
    return ctx.lossless ? fromBigInt(BigInt(v), v, ctx) : ctx.needSource();
  }
  if (typeof v === "string") {
    if (v === "") return undefined;
    return INTEGER.test(v) ? fromBigInt(BigInt(v), v, ctx) : expected(ctx, "bigint", v);
  }
  if (ctx.lossless && isRawJSON(v)) {
    const text = v.rawJSON;
    if (INTEGER.test(text)) return fromBigInt(BigInt(text), v, ctx);
    const n = Number(text);
    return Number.isInteger(n) ? fromBigInt(BigInt(n), v, ctx) : expected(ctx, "bigint", v);
  }
  return expected(ctx, "bigint", v);
};

function fromBigInt(b: bigint, v: unknown, ctx: ParseContext): unknown {
  if (b < INT64_MIN || b > INT64_MAX) return expected(ctx, "bigint (64-bit)", v);
  const n = Number(b);
  return Number.isSafeInteger(n) ? n : rawJSON(b.toString());
}

/** float (64-bit): numbers or decimal strings; non-finite values cannot be stored as JSON. */
export const decodeFloat: Decoder = (v, ctx) => {
  let n: number;
  if (typeof v === "number") n = v;
  else if (typeof v === "string") {
    if (v === "") return undefined;
    n = DECIMAL.test(v) ? Number(v) : NaN;
  } else if (ctx.lossless && isRawJSON(v)) n = Number(v.rawJSON);
  else n = NaN;
  return Number.isFinite(n) ? n : expected(ctx, "float", v);
};

// Go's strconv.ParseBool, which Panther uses for strings.
const BOOL_TEXT: Record<string, boolean> = {
  "1": true, t: true, T: true, true: true, TRUE: true, True: true,
  "0": false, f: false, F: false, false: false, FALSE: false, False: false,
};

/** boolean: true/false, 0/1, or their string forms ("true", "False", "1", "t"…). */
export const decodeBoolean: Decoder = (v, ctx) => {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    if (v === "") return undefined;
    const b = Object.hasOwn(BOOL_TEXT, v) ? BOOL_TEXT[v] : undefined;
    return b ?? expected(ctx, "boolean", v);
  }
  if (v === 0 || v === 1) return v === 1;
  return expected(ctx, "boolean", v);
};

/**
 * json: any value, kept as it came. It is still walked once, to cap its depth and to find the
 * integers beyond 2^53 that must be re-read exactly.
 */
export const decodeJson: Decoder = (v, ctx, depth) => (checkJson(v, ctx, depth) ? v : FAIL);

function checkJson(v: unknown, ctx: ParseContext, depth: number): boolean {
  if (typeof v !== "object" || v === null) {
    if (typeof v === "number" && !ctx.lossless && Number.isInteger(v) && !Number.isSafeInteger(v)) {
      ctx.needSource();
      return false;
    }
    return true;
  }
  if (depth >= MAX_DEPTH) {
    ctx.fail(`nested deeper than ${MAX_DEPTH} levels`);
    return false;
  }
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) {
      if (!checkJson(v[k], ctx, depth + 1)) return (ctx.segments.push(k), false);
    }
    return true;
  }
  if (ctx.lossless && isRawJSON(v)) return true;
  for (const key in v) {
    if (!checkJson((v as Record<string, unknown>)[key], ctx, depth + 1)) return (ctx.segments.push(key), false);
  }
  return true;
}
