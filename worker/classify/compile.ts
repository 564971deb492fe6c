import { FAIL, ParseContext, type Decoder } from "./context";
import { arrayDecoder, checkedString, embeddedJson, fieldOf, objectDecoder, timestampDecoder } from "./decoders";
import { tryParseLossless, UNREADABLE } from "./lossless";
import { decodeBigint, decodeBoolean, decodeFloat, decodeJson, decodeString, integerDecoder } from "./scalars";
import type { FieldSpec, LogSchemaSpec, ValueSpec } from "./spec-types";
import type { Clock } from "./time-pattern";
import { compileTimeFormat } from "./timestamps";

// A validated schema turned into a tree of closures, once per schema revision (Workers forbid
// eval and new Function, so this is as compiled as it gets).

export type SchemaParseResult =
  | { ok: true; event: Record<string, unknown>; eventTime: string | null; indicators: Record<string, string[]> }
  | {
      ok: false;
      /** `$.user.id: expected bigint, got "abc"` */
      error: string;
      path: string;
      /** How many fields parsed before the failure: the schema that got furthest explains best. */
      matched: number;
      /** A number's exact text is needed: parse again from `parseLossless(text)` with `lossless`. */
      needsSource: boolean;
      /** The value was partly normalized in place: parse the text again before reusing it. */
      mutated: boolean;
    };

export interface ParseOptions {
  /** The value came from `parseLossless`. */
  lossless?: boolean;
  /** The clock for formats without a year; read at most once per parse. */
  now?: Clock;
}

export interface CompiledSchema {
  readonly name: string;
  readonly spec: LogSchemaSpec;
  /**
   * Normalizes one JSON value already parsed, in place: on success the event is (mostly) that
   * same value; on failure `mutated` says whether it may still be given to another schema.
   */
  parse(value: unknown, options?: ParseOptions): SchemaParseResult;
  /** Parses JSON text and normalizes it, re-reading it exactly when a number needs that. */
  parseText(text: string, options?: Omit<ParseOptions, "lossless">): SchemaParseResult;
}

export function compileSchema(name: string, spec: LogSchemaSpec): CompiledSchema {
  const definitions = new Map<string, Decoder>();
  const defs = spec.definitions ?? {};
  const compileValue = (value: ValueSpec): Decoder => {
    switch (value.type) {
      case "string":
        return checkedString(decodeString, value.validate, value.indicators);
      case "int":
        return integerDecoder("int", -2_147_483_648, 2_147_483_647);
      case "smallint":
        return integerDecoder("smallint", -32_768, 32_767);
      case "bigint":
        return decodeBigint;
      case "float":
        return decodeFloat;
      case "boolean":
        return decodeBoolean;
      case "timestamp": {
        const formats = value.timeFormats ?? (value.timeFormat === undefined ? [] : [value.timeFormat]);
        const parsers = formats.map((f) => {
          const c = compileTimeFormat(f);
          if (!c.ok) throw new Error(`schema ${name}: ${c.error}`);
          return c.parse;
        });
        return timestampDecoder(formats, parsers, value.isEventTime === true);
      }
      case "json":
        return value.isEmbeddedJSON ? embeddedJson("json", decodeJson) : decodeJson;
      case "object": {
        const decode = objectDecoder((value.fields ?? []).map(compileField));
        return value.isEmbeddedJSON ? embeddedJson("object", decode) : decode;
      }
      case "array": {
        const decode = arrayDecoder(compileValue(value.element ?? { type: "json" }));
        return value.isEmbeddedJSON ? embeddedJson("array", decode) : decode;
      }
      case "ref":
        return refDecoder(value.target ?? "");
      default: {
        const never: never = value.type;
        throw new Error(`schema ${name}: unknown type ${String(never)}`);
      }
    }
  };
  const compileField = (field: FieldSpec) => fieldOf(field, compileValue(field));
  // A ref is its definition's decoder itself, compiled once. Only a definition that refers to
  // itself (a tree) needs a late-bound wrapper; the depth cap bounds what such a schema reads.
  const compiling = new Set<string>();
  const refDecoder = (target: string): Decoder => {
    if (!Object.hasOwn(defs, target)) throw new Error(`schema ${name}: no definition named ${target}`);
    const done = definitions.get(target);
    if (done) return done;
    if (compiling.has(target)) {
      return (v, ctx, depth) => (definitions.get(target) as Decoder)(v, ctx, depth);
    }
    compiling.add(target);
    const decode = compileValue(defs[target]);
    compiling.delete(target);
    definitions.set(target, decode);
    return decode;
  };

  const root = objectDecoder(spec.fields.map(compileField));
  // One context per compiled schema, reused by every parse: parse() never awaits, so requests
  // sharing an isolate (and this cached schema) can never interleave inside it.
  const ctx = new ParseContext();

  const parse = (value: unknown, options?: ParseOptions): SchemaParseResult => {
    ctx.reset(options?.lossless === true, options?.now ?? Date.now);
    const event = root(value, ctx, 0);
    if (event === FAIL) {
      const path = ctx.path();
      return { ok: false, error: `${path}: ${ctx.message}`, path, matched: ctx.matched, needsSource: ctx.needsSource, mutated: ctx.mutated };
    }
    return {
      ok: true,
      event: event as Record<string, unknown>,
      eventTime: ctx.eventTime,
      indicators: ctx.indicatorRecord(),
    };
  };

  return {
    name,
    spec,
    parse,
    parseText(text, options) {
      const first = parse(JSON.parse(text), options);
      if (first.ok || !first.needsSource) return first;
      const exact = tryParseLossless(text);
      return exact === UNREADABLE ? first : parse(exact, { ...options, lossless: true });
    },
  };
}
