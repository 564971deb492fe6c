// Exact number text for the few values that need it. JSON.parse rounds integers beyond 2^53, so
// a bigint such as 9007199254740993 or a nanosecond timestamp would be stored wrong. Reading every
// line with a reviver costs about three plain parses, so lines are read plainly first and read
// again with `parseLossless` only when a decoder meets a number whose rounding matters. Numbers
// whose text differs from their rounded value come back as `JSON.rawJSON` values, which
// JSON.stringify writes out digit for digit (V8 ships both as JSON.parse source text access).

export interface RawJSON {
  readonly rawJSON: string;
}

interface JsonWithSource {
  rawJSON(text: string): RawJSON;
  isRawJSON(value: unknown): value is RawJSON;
  parse(text: string, reviver: (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown): unknown;
}

const J = JSON as unknown as JsonWithSource;

export const rawJSON = (text: string): RawJSON => J.rawJSON(text);
export const isRawJSON = (value: unknown): value is RawJSON => J.isRawJSON(value);

function keepSource(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && context?.source !== undefined && context.source !== String(value)) {
    return J.rawJSON(context.source);
  }
  return value;
}

/** JSON.parse, with numbers whose text is not their JS value kept as RawJSON. Throws as JSON.parse. */
export function parseLossless(text: string): unknown {
  return J.parse(text, keepSource);
}

export const UNREADABLE: unique symbol = Symbol("unreadable");

/**
 * parseLossless, or UNREADABLE when the text cannot be read that way: the reviver walk recurses,
 * so input nested tens of thousands deep (which plain JSON.parse takes) exhausts the stack.
 */
export function tryParseLossless(text: string): unknown {
  try {
    return parseLossless(text);
  } catch {
    return UNREADABLE;
  }
}
