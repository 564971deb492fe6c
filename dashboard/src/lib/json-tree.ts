/**
 * A JSON value as written: numbers keep their digits (a 20-digit id is not rounded as
 * JSON.parse would round it) and objects keep every key in order, duplicates included.
 */
export type JsonNode =
  | { kind: "object"; entries: { key: string; value: JsonNode }[] }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "string"; raw: string }
  | { kind: "number" | "literal"; raw: string };

const WS = /\s*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;

/** Parses JSON text into a tree; null when the text is not one JSON value. */
export function parseJsonTree(text: string): JsonNode | null {
  let pos = 0;
  const match = (re: RegExp): string | null => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    pos = re.lastIndex;
    return m[0];
  };
  const skip = () => void match(WS);
  const take = (ch: string) => {
    skip();
    if (text[pos] !== ch) return false;
    pos += 1;
    return true;
  };

  function value(depth: number): JsonNode {
    if (depth > 200) throw new Error("too deep");
    skip();
    const ch = text[pos];
    if (ch === "{") {
      pos += 1;
      const entries: { key: string; value: JsonNode }[] = [];
      if (take("}")) return { kind: "object", entries };
      do {
        skip();
        const key = match(STRING);
        if (key === null || !take(":")) throw new Error("bad object");
        entries.push({ key: JSON.parse(key) as string, value: value(depth + 1) });
      } while (take(","));
      if (!take("}")) throw new Error("unclosed object");
      return { kind: "object", entries };
    }
    if (ch === "[") {
      pos += 1;
      const items: JsonNode[] = [];
      if (take("]")) return { kind: "array", items };
      do items.push(value(depth + 1));
      while (take(","));
      if (!take("]")) throw new Error("unclosed array");
      return { kind: "array", items };
    }
    const str = match(STRING);
    if (str !== null) return { kind: "string", raw: str };
    const num = match(NUMBER);
    if (num !== null) return { kind: "number", raw: num };
    const lit = match(LITERAL);
    if (lit !== null) return { kind: "literal", raw: lit };
    throw new Error(`unexpected ${ch ?? "end"}`);
  }

  try {
    const root = value(0);
    skip();
    return pos === text.length ? root : null;
  } catch {
    return null;
  }
}

export type PathPart = string | number;

/**
 * The parts of an error path as classification names fields: `$.user.id` → ["user", "id"],
 * `$.items[2].name` → ["items", 2, "name"], `$["a.b"]` → ["a.b"]. Null when it is not one.
 */
export function parseErrorPath(path: string | null | undefined): PathPart[] | null {
  if (!path || !path.startsWith("$")) return null;
  const parts: PathPart[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\['((?:[^'\\]|\\.)*)'\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const start = re.lastIndex;
    const m = re.exec(path);
    if (!m || re.lastIndex === start) return null;
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(Number(m[2]));
    else if (m[3] !== undefined) parts.push(JSON.parse(m[3]) as string);
    else parts.push(m[4].replace(/\\(.)/g, "$1"));
  }
  return parts;
}
