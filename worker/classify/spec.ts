import { LineCounter, parseDocument } from "yaml";
import { checkFields, checkValue, isObj, unknownKey, type Checker } from "./spec-values";
import type { LogSchemaSpec, SpecError } from "./spec-types";

// Reads a custom log schema (YAML, or Panther's JSON files unchanged) and checks all of it,
// reporting every problem with its path (`fields[2].indicators[0]`), so a user fixes a schema in
// one round trip. Only what the classifier can honour passes: text parsers and transformations
// are refused by name rather than silently ignored.

export type ParseSpecResult = { ok: true; spec: LogSchemaSpec } | { ok: false; errors: SpecError[] };

const TOP_KEYS = ["version", "schema", "description", "referenceURL", "parser", "definitions", "fields"];
const TEXT_PARSERS = ["fastmatch", "regex", "csv"];
const SCHEMA_NAME = /^[A-Z][A-Za-z0-9]+(\.[A-Z][A-Za-z0-9]+)*$/;

export function parseSchemaSpec(text: string): ParseSpecResult {
  const loaded = load(text);
  if (!loaded.ok) return loaded;
  const errors: SpecError[] = [];
  const root = loaded.value;
  if (!isObj(root)) return { ok: false, errors: [{ path: "", message: "a schema must be a mapping (YAML) or an object (JSON)" }] };
  const c: Checker = {
    errors,
    definitions: isObj(root.definitions) ? root.definitions : {},
    err: (path, message) => void errors.push({ path, message }),
  };
  for (const key of Object.keys(root)) if (!TOP_KEYS.includes(key)) c.err(key, unknownKey(key, TOP_KEYS));
  // Panther's JSON Schema requires `version: 0`, but its own examples (docs, Terraform) leave it
  // out and its parser reads a missing version as 0: schemas users already have must load.
  if (root.version !== undefined && root.version !== 0) c.err("version", "must be 0");
  if (root.schema !== undefined && (typeof root.schema !== "string" || !SCHEMA_NAME.test(root.schema))) {
    c.err("schema", "must be PascalCase names joined by dots, such as Custom.MyApp");
  }
  if (root.description !== undefined && typeof root.description !== "string") c.err("description", "must be a string");
  if (root.referenceURL !== undefined && !isUrl(root.referenceURL)) c.err("referenceURL", "must be an absolute URL");
  if (root.parser !== undefined) checkParser(c, root.parser);
  if (root.definitions !== undefined) checkDefinitions(c, root.definitions);
  if (root.fields === undefined) c.err("fields", "is required: a list of at least one field");
  else checkFields(c, root.fields, "fields", true);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, spec: { ...root, version: 0 } as unknown as LogSchemaSpec };
}

type Loaded = { ok: true; value: unknown } | { ok: false; errors: SpecError[] };

function load(text: string): Loaded {
  if (text.trimStart().startsWith("{")) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      // YAML reads JSON too, and says where the syntax breaks.
    }
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { path: "", message: `YAML syntax error at line ${line}, column ${col}: ${e.message.split("\n")[0]}` };
      }),
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    return { ok: false, errors: [{ path: "", message: `YAML could not be read: ${(e as Error).message}` }] };
  }
}

function isUrl(v: unknown): boolean {
  if (typeof v !== "string") return false;
  try {
    return Boolean(new URL(v).protocol);
  } catch {
    return false;
  }
}

function checkParser(c: Checker, parser: unknown): void {
  // `parser: native` written as a bare name is read as `parser: { native: {} }`.
  if (typeof parser === "string") {
    if (parser === "native") return;
    if (TEXT_PARSERS.includes(parser)) return c.err("parser", `text parsers (${parser}) are not supported yet: only JSON logs are classified`);
  }
  if (!isObj(parser)) return c.err("parser", "must be a mapping with one parser, such as native: {}");
  const kinds = Object.keys(parser);
  if (kinds.length !== 1) c.err("parser", "must name exactly one parser");
  for (const kind of kinds) {
    if (TEXT_PARSERS.includes(kind)) c.err(`parser.${kind}`, `text parsers (${kind}) are not supported yet: only JSON logs are classified`);
    else if (kind !== "native") c.err(`parser.${kind}`, unknownKey(kind, ["native", ...TEXT_PARSERS]));
    else checkNative(c, parser.native);
  }
}

function checkNative(c: Checker, native: unknown): void {
  if (native === null) return;
  if (!isObj(native)) return c.err("parser.native", "must be a mapping, such as { name: AWS.CloudTrail }");
  for (const key of Object.keys(native)) {
    if (key !== "name") c.err(`parser.native.${key}`, unknownKey(key, ["name"]));
  }
  if (native.name !== undefined && typeof native.name !== "string") c.err("parser.native.name", "must be a string");
}

function checkDefinitions(c: Checker, defs: unknown): void {
  if (!isObj(defs)) return c.err("definitions", "must be a mapping of names to values");
  for (const [name, value] of Object.entries(defs)) checkValue(c, value, `definitions.${name}`);
  // A chain of refs that never reaches a real value would recurse forever without consuming input.
  for (const start of Object.keys(defs)) {
    const chain = [start];
    let at = refTarget(defs[start]);
    while (at !== undefined && Object.hasOwn(defs, at)) {
      if (at === start) {
        c.err(`definitions.${start}.target`, `definitions refer to each other in a cycle (${[...chain, at].join(" → ")})`);
        break;
      }
      if (chain.includes(at)) break;
      chain.push(at);
      at = refTarget(defs[at]);
    }
  }
}

function refTarget(v: unknown): string | undefined {
  return isObj(v) && v.type === "ref" && typeof v.target === "string" ? v.target : undefined;
}

export type { LogSchemaSpec, SpecError };
