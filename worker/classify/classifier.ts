import { compileSchema, type CompiledSchema, type ParseOptions, type SchemaParseResult } from "./compile";
import { describeValue } from "./describe";
import { tryParseLossless, UNREADABLE } from "./lossless";
import { parseSchemaSpec } from "./spec";
import type { Clock } from "./time-pattern";

// Classification of one line against the schemas attached to a source, with Panther's penalty
// queue (log_processor/classification): every schema that fails a line gains a penalty, the
// winner's drops to zero, and schemas are tried in penalty order, so the last winner goes first
// and a stream of one log type costs one parse per line.

export interface ClassifiedEvent {
  logType: string;
  event: Record<string, unknown>;
  eventTime: string | null;
  indicators: Record<string, string[]>;
}

export interface ClassificationFailure {
  error: string;
  path: string | null;
  tried: { schema: string; error: string }[];
}

export type ClassifyResult = { ok: true; value: ClassifiedEvent } | { ok: false; failure: ClassificationFailure };

export interface ClassifierOptions {
  /** Clock for timestamp formats without a year; defaults to Date.now. */
  now?: Clock;
}

const MAX_JSON_ERROR = 200;

export class Classifier {
  private readonly queue: { schema: CompiledSchema; penalty: number }[];
  private readonly plain: ParseOptions;
  private readonly exact: ParseOptions;

  constructor(schemas: CompiledSchema[], options: ClassifierOptions = {}) {
    this.queue = schemas.map((schema) => ({ schema, penalty: 0 }));
    const now = options.now ?? Date.now;
    this.plain = { now };
    this.exact = { now, lossless: true };
  }

  /** Classifies one non-blank line (the caller skips blank ones). */
  classify(line: string): ClassifyResult {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      return this.failAll(`not valid JSON: ${String((e as Error).message).slice(0, MAX_JSON_ERROR)}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return this.failAll(`expected a JSON object, got ${describeValue(value)}`);
    }
    if (this.queue.length === 0) return { ok: false, failure: { error: "no schema is attached to classify with", path: null, tried: [] } };

    // Decoders normalize in place; a schema that fails after writing leaves a value no other
    // schema may read, so it is parsed again (rare: schemas mostly fail on their first fields).
    let plain: unknown = value;
    let exact: unknown;
    let failures: { schema: string; result: SchemaParseResult & { ok: false } }[] | undefined;
    for (let k = 0; k < this.queue.length; k++) {
      const entry = this.queue[k];
      plain ??= JSON.parse(line);
      let result = this.tryParse(entry.schema, plain, this.plain);
      if (!result.ok && result.mutated) plain = undefined;
      if (!result.ok && result.needsSource) {
        exact ??= tryParseLossless(line);
        // Unreadable exactly: the failure stands ("a number is too large to read exactly").
        if (exact !== UNREADABLE) {
          result = this.tryParse(entry.schema, exact, this.exact);
          if (!result.ok && result.mutated) exact = undefined;
        }
      }
      if (result.ok) {
        if (k > 0) this.promote(k);
        else entry.penalty = 0;
        const { event, eventTime, indicators } = result;
        return { ok: true, value: { logType: entry.schema.name, event, eventTime, indicators } };
      }
      entry.penalty++;
      (failures ??= []).push({ schema: entry.schema.name, result });
    }
    return { ok: false, failure: this.explain(failures ?? []) };
  }

  private tryParse(schema: CompiledSchema, value: unknown, options: ParseOptions): SchemaParseResult {
    try {
      return schema.parse(value, options);
    } catch (e) {
      // A bug or an exhausted stack fails the line, never the batch.
      const error = `$: could not be parsed (${(e as Error).message})`;
      return { ok: false, error, path: "$", matched: 0, needsSource: false, mutated: true };
    }
  }

  /** The winner at `k` drops to penalty 0 and goes first; the rest line up by penalty. */
  private promote(k: number): void {
    const [winner] = this.queue.splice(k, 1);
    winner.penalty = 0;
    this.queue.sort((a, b) => a.penalty - b.penalty);
    this.queue.unshift(winner);
  }

  /** One message for the line: the schema that got furthest explains it best. */
  private explain(failures: { schema: string; result: SchemaParseResult & { ok: false } }[]): ClassificationFailure {
    let best = failures[0];
    for (const f of failures) if (f.result.matched > best.result.matched) best = f;
    const tried = failures.map((f) => ({ schema: f.schema, error: f.result.error }));
    const error = failures.length > 1 ? `${best.schema}: ${best.result.error}` : best.result.error;
    return { error, path: best.result.path, tried };
  }

  private failAll(error: string): ClassifyResult {
    const tried = this.queue.map((e) => ({ schema: e.schema.name, error }));
    return { ok: false, failure: { error, path: null, tried } };
  }
}

const MAX_CACHED = 256;
const cache = new Map<string, CompiledSchema>();

/**
 * The compiled form of a schema revision, compiled once per isolate. A revision's text never
 * changes, so name@revision is a safe key; the oldest entries go past MAX_CACHED.
 * Throws when the stored text is not a valid schema (it was validated when it was saved).
 */
export function compiledFor(name: string, revision: number, specText: string): CompiledSchema {
  const key = `${name}@${revision}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = parseSchemaSpec(specText);
  if (!parsed.ok) {
    const why = parsed.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ");
    throw new Error(`schema ${key} is not valid: ${why}`);
  }
  const compiled = compileSchema(name, parsed.spec);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}
