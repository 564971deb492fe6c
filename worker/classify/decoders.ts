import { FAIL, MAX_DEPTH, type Decoder, type ParseContext } from "./context";
import { SCANNERS, type Scanner } from "./indicators";
import { isRawJSON, parseLossless } from "./lossless";
import { expected } from "./scalars";
import type { FieldSpec, IndicatorName, ValidateSpec } from "./spec-types";
import { NEEDS_SOURCE, type TimeParser } from "./timestamps";
import { compileValidate } from "./validate";

// Decoders for the composite and decorated types: objects, arrays, timestamps, strings with
// rules, embedded JSON. Every choice that depends only on the schema is made here, once, so the
// closures that run per line hold no branches on the spec.

export interface CompiledField {
  name: string;
  required: boolean;
  decode: Decoder;
  /**
   * Set for a string field without validate rules and with at most one indicator, and for a
   * boolean field: the object decoder then takes a value of that JSON type without calling
   * `decode` (most fields of most logs are such values already).
   */
  fast?: { type: "string" | "boolean"; scan?: Scanner };
}

function isPlainObject(v: unknown, ctx: ParseContext): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(ctx.lossless && isRawJSON(v));
}

/**
 * A JSON object of known keys; keys not in the schema and null values are dropped, as Panther
 * drops them. The object JSON.parse made is normalized in place and handed back when it holds
 * nothing else (the usual case: no copy, no new hidden classes); otherwise the kept fields are
 * copied to a new object. Writing into the input marks the context `mutated`: the classifier
 * then parses the line afresh before another schema reads it.
 */
export function objectDecoder(fields: CompiledField[]): Decoder {
  const n = fields.length;
  const names = fields.map((f) => f.name);
  const decoders = fields.map((f) => f.decode);
  const required = fields.map((f) => f.required);
  const fastType = fields.map((f) => f.fast?.type);
  const fastScan = fields.map((f) => f.fast?.scan);
  // Names that also exist on Object.prototype ("constructor", "__proto__") must be read as own
  // properties only, and "__proto__" must be written with defineProperty.
  const special = names.some((name) => name in Object.prototype);
  const read = (o: Record<string, unknown>, name: string) => (Object.hasOwn(o, name) ? o[name] : undefined);
  const write = (o: Record<string, unknown>, name: string, value: unknown) => {
    if (name === "__proto__") Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
    else o[name] = value;
  };

  return (v, ctx, depth) => {
    if (!isPlainObject(v, ctx)) return expected(ctx, "object", v);
    if (depth >= MAX_DEPTH) return ctx.fail(`nested deeper than ${MAX_DEPTH} levels`);
    let present = 0;
    let dropped = false;
    for (let i = 0; i < n; i++) {
      const name = names[i];
      const raw = special ? read(v, name) : v[name];
      if (raw === undefined) {
        if (required[i]) return missing(ctx, name);
        continue;
      }
      present++;
      if (typeof raw === fastType[i]) {
        const scan = fastScan[i];
        if (scan !== undefined) scan(raw as string, ctx.indicatorSet());
        ctx.matched++;
        continue;
      }
      const value = raw === null ? undefined : decoders[i](raw, ctx, depth + 1);
      if (value === FAIL) {
        ctx.segments.push(name);
        return FAIL;
      }
      if (value === undefined) {
        if (required[i]) return missing(ctx, name);
        if (raw !== null) {
          write(v, name, undefined);
          ctx.mutated = true;
        }
        dropped = true;
        continue;
      }
      ctx.matched++;
      if (value !== raw) {
        if (special) write(v, name, value);
        else v[name] = value;
        ctx.mutated = true;
      }
    }
    if (!dropped) {
      let keys = 0;
      for (const _ in v) keys++;
      if (keys === present) return v;
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const value = special ? read(v, names[i]) : v[names[i]];
      if (value === undefined || value === null) continue;
      if (special) write(out, names[i], value);
      else out[names[i]] = value;
    }
    return out;
  };
}

function missing(ctx: ParseContext, name: string): typeof FAIL {
  ctx.fail("required field is missing");
  ctx.segments.push(name);
  return FAIL;
}

/** A JSON array, normalized in place; null elements (and absent-reading ones) are kept as null. */
export function arrayDecoder(element: Decoder): Decoder {
  return (v, ctx, depth) => {
    if (!Array.isArray(v)) return expected(ctx, "array", v);
    if (depth >= MAX_DEPTH) return ctx.fail(`nested deeper than ${MAX_DEPTH} levels`);
    for (let k = 0; k < v.length; k++) {
      const el = v[k];
      if (el === null) continue;
      const value = element(el, ctx, depth + 1);
      if (value === FAIL) {
        ctx.segments.push(k);
        return FAIL;
      }
      if (value !== el) {
        v[k] = value === undefined ? null : value;
        ctx.mutated = true;
      }
    }
    return v;
  };
}

/** `isEmbeddedJSON`: a string holding JSON is parsed first; other values go straight through. */
export function embeddedJson(what: string, inner: Decoder): Decoder {
  return (v, ctx, depth) => {
    if (typeof v !== "string") return inner(v, ctx, depth);
    let parsed: unknown;
    try {
      parsed = ctx.lossless ? parseLossless(v) : JSON.parse(v);
    } catch {
      return expected(ctx, `${what} as embedded JSON`, v);
    }
    return parsed === null ? undefined : inner(parsed, ctx, depth);
  };
}

/** A timestamp in one of `formats`, tried in order; `isEventTime` offers it as the event time. */
export function timestampDecoder(formats: string[], parsers: TimeParser[], isEventTime: boolean): Decoder {
  const wanted = `timestamp (${formats.join(" or ")})`;
  return (v, ctx) => {
    let input: string | number;
    if (typeof v === "string") {
      if (v === "") return undefined;
      input = v;
    } else if (typeof v === "number") {
      input = ctx.lossless && Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v).toString() : v;
    } else if (ctx.lossless && isRawJSON(v)) {
      input = v.rawJSON;
    } else {
      return expected(ctx, wanted, v);
    }
    for (const parse of parsers) {
      const iso = parse(input, ctx.now);
      if (iso === undefined) continue;
      if (iso === NEEDS_SOURCE) return ctx.needSource();
      if (isEventTime && ctx.eventTime === null) ctx.eventTime = iso;
      return iso;
    }
    return expected(ctx, wanted, v);
  };
}

/** A string field with `validate` rules and/or `indicators`. */
export function checkedString(base: Decoder, validate: ValidateSpec | undefined, indicators: IndicatorName[] | undefined): Decoder {
  const check = validate ? compileValidate(validate) : undefined;
  const scanners = (indicators ?? []).map((name) => SCANNERS[name]);
  if (!check && scanners.length === 0) return base;
  if (!check && scanners.length === 1) {
    // The common case (one indicator, no rule), without the loop and with strings inline.
    const scan = scanners[0];
    return (v, ctx, depth) => {
      const s = typeof v === "string" ? v : base(v, ctx, depth);
      if (typeof s === "string") scan(s, ctx.indicatorSet());
      return s;
    };
  }
  return (v, ctx, depth) => {
    const s = base(v, ctx, depth);
    if (typeof s !== "string") return s;
    if (check) {
      const why = check(s);
      if (why) return ctx.fail(why);
    }
    if (scanners.length > 0) {
      const set = ctx.indicatorSet();
      for (const scan of scanners) scan(s, set);
    }
    return s;
  };
}

export function fieldOf(spec: FieldSpec, decode: Decoder): CompiledField {
  const field: CompiledField = { name: spec.name, required: spec.required === true, decode };
  const indicators = spec.indicators ?? [];
  if (spec.type === "string" && !spec.validate && indicators.length <= 1) {
    field.fast = { type: "string", scan: indicators.length === 1 ? SCANNERS[indicators[0]] : undefined };
  } else if (spec.type === "boolean") {
    field.fast = { type: "boolean" };
  }
  return field;
}
