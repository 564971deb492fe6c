import { ADDRESS_FAMILIES, INDICATOR_NAMES, VALUE_TYPES, type SpecError, type ValueType } from "./spec-types";
import { compileTimeFormat } from "./timestamps";

// Checks of one field or value of a schema, reporting every problem with its path. Used by
// spec.ts, which owns the top level and the definitions.

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export interface Checker {
  errors: SpecError[];
  definitions: Obj;
  err(path: string, message: string): void;
}

const VALUE_KEYS = [
  "type",
  "description",
  "indicators",
  "validate",
  "timeFormat",
  "timeFormats",
  "isEventTime",
  "isExpiration",
  "element",
  "fields",
  "isEmbeddedJSON",
  "target",
];
const FIELD_KEYS = ["name", "required", ...VALUE_KEYS];
const TRANSFORMATIONS = ["rename", "copy", "concat", "split", "mask"];

/** Objects and arrays nest at most this deep in a schema (real ones stay under ten). */
export const MAX_SPEC_DEPTH = 50;

/** Which types each type-specific key applies to. */
const APPLIES_TO: Record<string, ValueType[]> = {
  indicators: ["string"],
  validate: ["string"],
  timeFormat: ["timestamp"],
  timeFormats: ["timestamp"],
  isEventTime: ["timestamp"],
  isExpiration: ["timestamp"],
  element: ["array"],
  fields: ["object"],
  isEmbeddedJSON: ["object", "array", "json"],
  target: ["ref"],
};

export function unknownKey(key: string, known: string[]): string {
  const near = known.find((k) => k.toLowerCase() === key.toLowerCase() || k === `${key}s`);
  return near ? `unknown key "${key}" (did you mean "${near}"?)` : `unknown key "${key}"`;
}

/** A list of fields (`fields` of the schema or of an object value). */
export function checkFields(c: Checker, list: unknown, path: string, topLevel: boolean, depth = 0): void {
  if (depth > MAX_SPEC_DEPTH) return c.err(path, `nested deeper than ${MAX_SPEC_DEPTH} levels`);
  if (!Array.isArray(list)) return c.err(path, "must be a list of fields");
  if (list.length === 0) return c.err(path, "must have at least one field");
  const seen = new Map<string, number>();
  list.forEach((field, i) => {
    const at = `${path}[${i}]`;
    if (!isObj(field)) return c.err(at, "a field must be a mapping with at least name and type");
    const name = field.name;
    if (name === undefined) c.err(`${at}.name`, "is required");
    else if (typeof name !== "string" || name === "") c.err(`${at}.name`, "must be a non-empty string");
    else if (seen.has(name)) c.err(`${at}.name`, `duplicate field name "${name}" (also ${path}[${seen.get(name)}])`);
    else {
      seen.set(name, i);
      if (topLevel && name.startsWith("p_")) c.err(`${at}.name`, `"${name}": names starting with p_ are reserved for standard fields`);
    }
    if (field.required !== undefined && typeof field.required !== "boolean") c.err(`${at}.required`, "must be true or false");
    checkValue(c, field, at, FIELD_KEYS, depth);
  });
}

/** A value: a field's own keys, a definition, or an array's element. */
export function checkValue(c: Checker, v: unknown, path: string, known: string[] = VALUE_KEYS, depth = 0): void {
  if (depth > MAX_SPEC_DEPTH) return c.err(path, `nested deeper than ${MAX_SPEC_DEPTH} levels`);
  if (!isObj(v)) return c.err(path, "must be a mapping with at least a type");
  const type = v.type;
  for (const key of Object.keys(v)) {
    if (TRANSFORMATIONS.includes(key)) c.err(`${path}.${key}`, `field transformations (${key}) are not supported yet`);
    else if (!known.includes(key)) c.err(`${path}.${key}`, unknownKey(key, known));
  }
  if (type === undefined) return c.err(`${path}.type`, "is required");
  if (typeof type !== "string" || !(VALUE_TYPES as readonly string[]).includes(type)) {
    return c.err(`${path}.type`, `unknown type ${JSON.stringify(type)} (one of ${VALUE_TYPES.join(", ")})`);
  }
  for (const [key, types] of Object.entries(APPLIES_TO)) {
    if (v[key] !== undefined && !types.includes(type as ValueType)) {
      c.err(`${path}.${key}`, `${key} applies to ${types.join(", ")} values only, not ${type}`);
    }
  }
  if (v.description !== undefined && typeof v.description !== "string") c.err(`${path}.description`, "must be a string");
  for (const flag of ["isEventTime", "isExpiration", "isEmbeddedJSON"]) {
    if (v[flag] !== undefined && typeof v[flag] !== "boolean") c.err(`${path}.${flag}`, "must be true or false");
  }
  switch (type as ValueType) {
    case "string":
      if (v.indicators !== undefined) checkIndicators(c, v.indicators, `${path}.indicators`);
      if (v.validate !== undefined) checkValidate(c, v.validate, `${path}.validate`);
      return;
    case "timestamp":
      return checkTimeFormats(c, v, path);
    case "array":
      if (v.element === undefined) return c.err(`${path}.element`, "is required for an array");
      return checkValue(c, v.element, `${path}.element`, VALUE_KEYS, depth + 1);
    case "object":
      if (v.fields === undefined) return c.err(`${path}.fields`, "is required for an object");
      return checkFields(c, v.fields, `${path}.fields`, false, depth + 1);
    case "ref":
      if (typeof v.target !== "string" || v.target === "") return c.err(`${path}.target`, "is required for a ref: the name of a definition");
      if (!Object.hasOwn(c.definitions, v.target)) {
        const names = Object.keys(c.definitions);
        c.err(`${path}.target`, `no definition named "${v.target}"${names.length ? ` (definitions: ${names.join(", ")})` : ""}`);
      }
      return;
  }
}

function checkIndicators(c: Checker, list: unknown, path: string): void {
  if (!Array.isArray(list)) return c.err(path, "must be a list of indicator names");
  list.forEach((name, k) => {
    if (typeof name !== "string" || !(INDICATOR_NAMES as readonly string[]).includes(name)) {
      c.err(`${path}[${k}]`, `unknown indicator ${JSON.stringify(name)} (one of ${INDICATOR_NAMES.join(", ")})`);
    }
  });
}

function checkValidate(c: Checker, rules: unknown, path: string): void {
  if (!isObj(rules)) return c.err(path, "must be a mapping of allow, deny, ip or cidr");
  const keys = Object.keys(rules);
  if (keys.length === 0) c.err(path, "needs at least one of allow, deny, ip, cidr");
  for (const key of keys) {
    const rule = rules[key];
    if (key === "allow" || key === "deny") {
      if (!Array.isArray(rule) || rule.length === 0) c.err(`${path}.${key}`, "must be a non-empty list of strings");
      else rule.forEach((s, k) => typeof s !== "string" && c.err(`${path}.${key}[${k}]`, "must be a string"));
    } else if (key === "ip" || key === "cidr") {
      if (!(ADDRESS_FAMILIES as readonly unknown[]).includes(rule)) c.err(`${path}.${key}`, `must be one of ${ADDRESS_FAMILIES.join(", ")}`);
    } else c.err(`${path}.${key}`, unknownKey(key, ["allow", "deny", "ip", "cidr"]));
  }
}

function checkTimeFormats(c: Checker, v: Obj, path: string): void {
  const one = v.timeFormat;
  const many = v.timeFormats;
  if (one === undefined && many === undefined) return c.err(`${path}.timeFormat`, "a timestamp needs timeFormat (or timeFormats)");
  if (one !== undefined && many !== undefined) return c.err(`${path}.timeFormats`, "set timeFormat or timeFormats, not both");
  const checkOne = (f: unknown, at: string) => {
    if (typeof f !== "string") return c.err(at, "must be a string");
    const compiled = compileTimeFormat(f);
    if (!compiled.ok) c.err(at, compiled.error);
  };
  if (one !== undefined) return checkOne(one, `${path}.timeFormat`);
  if (!Array.isArray(many) || many.length === 0) return c.err(`${path}.timeFormats`, "must be a non-empty list of formats");
  many.forEach((f, k) => checkOne(f, `${path}.timeFormats[${k}]`));
}
