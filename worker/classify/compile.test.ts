import { describe, expect, it } from "vitest";
import { compileSchema, type SchemaParseResult } from "./compile";
import { isRawJSON } from "./lossless";
import { parseSchemaSpec } from "./spec";

function schema(fields: string, extra = "") {
  const parsed = parseSchemaSpec(`version: 0\n${extra}\nfields:\n${fields}`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return compileSchema("Custom.Test", parsed.spec);
}

const NOW = () => Date.UTC(2024, 5, 15);

function ok(result: SchemaParseResult) {
  if (!result.ok) throw new Error(result.error);
  return result;
}

function error(result: SchemaParseResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.event)}`);
  return result.error;
}

/** One field `v` of the given type; answers the stored value or the failure. */
function one(type: string, value: unknown): unknown {
  const s = schema(`  - { name: v, ${type} }`);
  const result = s.parseText(JSON.stringify({ v: value }), { now: NOW });
  return result.ok ? result.event.v : { error: result.error };
}

describe("scalar types", () => {
  it("string: strings, and numbers and booleans as their text; never objects", () => {
    expect(one("type: string", "abc")).toBe("abc");
    expect(one("type: string", "")).toBe("");
    expect(one("type: string", 42)).toBe("42");
    expect(one("type: string", -1.5)).toBe("-1.5");
    expect(one("type: string", true)).toBe("true");
    expect(one("type: string", { a: 1 })).toEqual({ error: "$.v: expected string, got an object" });
    expect(one("type: string", [1])).toEqual({ error: "$.v: expected string, got an array" });
  });

  it("int: 32-bit, numeric strings coerced, fractions and overflow refused", () => {
    expect(one("type: int", 42)).toBe(42);
    expect(one("type: int", "-42")).toBe(-42);
    expect(one("type: int", "+7")).toBe(7);
    expect(one("type: int", 2147483647)).toBe(2147483647);
    expect(one("type: int", 2147483648)).toEqual({ error: "$.v: expected int (-2147483648 to 2147483647), got 2147483648" });
    expect(one("type: int", 1.5)).toEqual({ error: "$.v: expected int, got 1.5" });
    expect(one("type: int", "1.5")).toEqual({ error: '$.v: expected int, got "1.5"' });
    expect(one("type: int", "abc")).toEqual({ error: '$.v: expected int, got "abc"' });
    expect(one("type: int", true)).toEqual({ error: "$.v: expected int, got true" });
  });

  it("smallint: 16-bit", () => {
    expect(one("type: smallint", -32768)).toBe(-32768);
    expect(one("type: smallint", "32767")).toBe(32767);
    expect(one("type: smallint", 32768)).toEqual({ error: "$.v: expected smallint (-32768 to 32767), got 32768" });
  });

  it("bigint: 64-bit; beyond 2^53 kept exact as raw JSON digits", () => {
    expect(one("type: bigint", 1234)).toBe(1234);
    expect(one("type: bigint", "-1234")).toBe(-1234);
    const max = one("type: bigint", "9223372036854775807");
    expect(isRawJSON(max)).toBe(true);
    expect(JSON.stringify({ max })).toBe('{"max":9223372036854775807}');
    expect(one("type: bigint", "9223372036854775808")).toEqual({ error: '$.v: expected bigint (64-bit), got "9223372036854775808"' });
    expect(one("type: bigint", "-9223372036854775808")).toSatisfy(isRawJSON);
    expect(one("type: bigint", 1.5)).toEqual({ error: "$.v: expected bigint, got 1.5" });
    expect(one("type: bigint", "abc")).toEqual({ error: '$.v: expected bigint, got "abc"' });
  });

  it("bigint: a JSON number beyond 2^53 is re-read from its exact text", () => {
    const s = schema("  - { name: id, type: bigint }\n  - { name: big, type: bigint }");
    const result = ok(s.parseText('{"id": 9007199254740993, "big": -9223372036854775808}'));
    expect(JSON.stringify(result.event)).toBe('{"id":9007199254740993,"big":-9223372036854775808}');
    expect(error(s.parseText('{"id": 9223372036854775808}'))).toBe("$.id: expected bigint (64-bit), got 9223372036854775808");
  });

  it("bigint: parse() without the text says it needs it", () => {
    const s = schema("  - { name: id, type: bigint }");
    const result = s.parse(JSON.parse('{"id": 9007199254740993}'));
    expect(result.ok ? null : result.needsSource).toBe(true);
  });

  it("float: numbers and decimal strings", () => {
    expect(one("type: float", 1.25)).toBe(1.25);
    expect(one("type: float", "-1.5e3")).toBe(-1500);
    expect(one("type: float", ".5")).toBe(0.5);
    expect(one("type: float", "1e400")).toEqual({ error: '$.v: expected float, got "1e400"' });
    expect(one("type: float", "NaN")).toEqual({ error: '$.v: expected float, got "NaN"' });
    expect(one("type: float", false)).toEqual({ error: "$.v: expected float, got false" });
  });

  it("boolean: true/false, 0/1, and their string forms", () => {
    expect(one("type: boolean", true)).toBe(true);
    expect(one("type: boolean", "true")).toBe(true);
    expect(one("type: boolean", "False")).toBe(false);
    expect(one("type: boolean", "1")).toBe(true);
    expect(one("type: boolean", 0)).toBe(false);
    expect(one("type: boolean", "yes")).toEqual({ error: '$.v: expected boolean, got "yes"' });
    expect(one("type: boolean", 2)).toEqual({ error: "$.v: expected boolean, got 2" });
  });

  it("an empty string reads as absent for numbers, booleans and timestamps", () => {
    for (const type of ["type: int", "type: bigint", "type: float", "type: boolean", "type: timestamp, timeFormat: unix"]) {
      expect(one(type, "")).toBeUndefined();
    }
  });

  it("json: any value, kept as it came, big integers exact", () => {
    expect(one("type: json", { a: [1, "x", null, { b: true }] })).toEqual({ a: [1, "x", null, { b: true }] });
    expect(one("type: json", "text")).toBe("text");
    const s = schema("  - { name: j, type: json }");
    expect(JSON.stringify(ok(s.parseText('{"j": {"n": 12345678901234567890, "f": 1.50}}')).event)).toBe('{"j":{"n":12345678901234567890,"f":1.50}}');
  });

  it("timestamp: normalized to ISO-8601 UTC with milliseconds", () => {
    expect(one("type: timestamp, timeFormat: rfc3339", "2024-01-02T03:04:05+02:00")).toBe("2024-01-02T01:04:05.000Z");
    expect(one("type: timestamp, timeFormat: unix_ms", 1700000000123)).toBe("2023-11-14T22:13:20.123Z");
    expect(one("type: timestamp, timeFormats: [rfc3339, unix]", 1700000000)).toBe("2023-11-14T22:13:20.000Z");
    expect(one("type: timestamp, timeFormat: rfc3339", "yesterday")).toEqual({ error: '$.v: expected timestamp (rfc3339), got "yesterday"' });
    expect(one("type: timestamp, timeFormats: [rfc3339, unix]", "x")).toEqual({ error: '$.v: expected timestamp (rfc3339 or unix), got "x"' });
    expect(one("type: timestamp, timeFormat: unix", { t: 1 })).toEqual({ error: "$.v: expected timestamp (unix), got an object" });
  });

  it("timestamp: nanoseconds beyond 2^53 are re-read exactly", () => {
    const s = schema("  - { name: t, type: timestamp, timeFormat: unix_ns }");
    expect(ok(s.parseText('{"t": 1700000000999999999}')).event.t).toBe("2023-11-14T22:13:20.999Z");
  });
});

describe("objects, arrays, refs", () => {
  const nested = schema(
    `  - name: user
    type: object
    fields:
      - { name: id, type: bigint, required: true }
      - { name: name, type: string }
  - name: items
    type: array
    element:
      type: object
      fields:
        - { name: sku, type: string, required: true }
        - { name: qty, type: int }`,
  );

  it("keeps the schema's fields and drops the others, at every level", () => {
    const result = ok(nested.parseText('{"user": {"id": "7", "name": "Ann", "extra": 1}, "items": [{"sku": "a", "qty": "2", "x": 0}], "other": true}'));
    expect(result.event).toEqual({ user: { id: 7, name: "Ann" }, items: [{ sku: "a", qty: 2 }] });
  });

  it("drops null values and keeps null array elements", () => {
    const result = ok(nested.parseText('{"user": {"id": 1, "name": null}, "items": [null, {"sku": "b"}]}'));
    expect(result.event).toEqual({ user: { id: 1 }, items: [null, { sku: "b" }] });
  });

  it("names the field, what was expected and what came", () => {
    expect(error(nested.parseText('{"user": {"id": "abc"}}'))).toBe('$.user.id: expected bigint, got "abc"');
    expect(error(nested.parseText('{"items": [{"sku": "a"}, {"sku": "b", "qty": 1.5}]}'))).toBe("$.items[1].qty: expected int, got 1.5");
    expect(error(nested.parseText('{"user": "ann"}'))).toBe('$.user: expected object, got "ann"');
    expect(error(nested.parseText('{"items": {"sku": "a"}}'))).toBe("$.items: expected array, got an object");
  });

  it("required fields: missing, null or read as absent are all missing", () => {
    expect(error(nested.parseText('{"user": {"name": "x"}}'))).toBe("$.user.id: required field is missing");
    expect(error(nested.parseText('{"user": {"id": null}}'))).toBe("$.user.id: required field is missing");
    expect(error(nested.parseText('{"user": {"id": ""}}'))).toBe("$.user.id: required field is missing");
    expect(error(nested.parseText('{"items": [{}]}'))).toBe("$.items[0].sku: required field is missing");
    // A missing optional parent does not make its required children missing.
    expect(ok(nested.parseText("{}")).event).toEqual({});
  });

  it("quotes field names that are not identifiers in paths", () => {
    const s = schema('  - { name: "odd key", type: object, fields: [{ name: "@t", type: int }] }');
    expect(error(s.parseText('{"odd key": {"@t": "x"}}'))).toBe('$["odd key"]["@t"]: expected int, got "x"');
  });

  it("ref: a definition, also recursive", () => {
    const s = schema(
      "  - { name: root, type: ref, target: Node }",
      `definitions:
  Node:
    type: object
    fields:
      - { name: label, type: string, required: true }
      - { name: children, type: array, element: { type: ref, target: Node } }`,
    );
    const tree = { root: { label: "a", children: [{ label: "b", children: [{ label: "c" }] }, { label: "d" }] } };
    expect(ok(s.parseText(JSON.stringify(tree))).event).toEqual(tree);
    expect(error(s.parseText('{"root": {"label": "a", "children": [{}]}}'))).toBe("$.root.children[0].label: required field is missing");
  });

  it("isEmbeddedJSON: objects, arrays and json given as a JSON string", () => {
    const s = schema(
      `  - { name: o, type: object, isEmbeddedJSON: true, fields: [{ name: foo, type: string }] }
  - { name: a, type: array, isEmbeddedJSON: true, element: { type: int } }
  - { name: j, type: json, isEmbeddedJSON: true }`,
    );
    const line = JSON.stringify({ o: '{"foo":"bar","x":1}', a: "[1,2]", j: '{"k":[true]}' });
    expect(ok(s.parseText(line)).event).toEqual({ o: { foo: "bar" }, a: [1, 2], j: { k: [true] } });
    expect(ok(s.parseText('{"o": {"foo": "already"}}')).event).toEqual({ o: { foo: "already" } });
    expect(error(s.parseText('{"o": "{not json"}'))).toBe('$.o: expected object as embedded JSON, got "{not json"');
    expect(error(s.parseText('{"a": "[1, \\"x\\"]"}'))).toBe('$.a[1]: expected int, got "x"');
  });

  it("field names shared with Object.prototype are read and written as plain keys", () => {
    const s = schema("  - { name: constructor, type: string }\n  - { name: __proto__, type: object, fields: [{ name: a, type: int }] }\n  - { name: toString, type: int }");
    const result = ok(s.parseText('{"__proto__": {"a": "1"}, "constructor": "x"}'));
    expect(Object.getPrototypeOf(result.event)).toBe(Object.prototype);
    expect(JSON.stringify(result.event)).toBe('{"__proto__":{"a":1},"constructor":"x"}');
    expect(Object.hasOwn(result.event, "toString")).toBe(false);
  });
});

describe("event time and indicators", () => {
  it("the first isEventTime field in field order with a value gives the event time", () => {
    const s = schema(
      `  - { name: first, type: timestamp, timeFormat: rfc3339, isEventTime: true }
  - { name: nested, type: object, fields: [{ name: t, type: timestamp, timeFormat: unix, isEventTime: true }] }
  - { name: last, type: timestamp, timeFormat: rfc3339, isEventTime: true }
  - { name: other, type: timestamp, timeFormat: rfc3339 }`,
    );
    expect(ok(s.parseText('{"last": "2024-01-03T00:00:00Z", "first": "2024-01-01T00:00:00Z"}')).eventTime).toBe("2024-01-01T00:00:00.000Z");
    expect(ok(s.parseText('{"last": "2024-01-03T00:00:00Z", "nested": {"t": 1704153600}}')).eventTime).toBe("2024-01-02T00:00:00.000Z");
    expect(ok(s.parseText('{"first": null, "last": "2024-01-03T00:00:00Z"}')).eventTime).toBe("2024-01-03T00:00:00.000Z");
    expect(ok(s.parseText('{"other": "2024-01-04T00:00:00Z"}')).eventTime).toBeNull();
  });

  it("indicators are collected across the event, deduplicated and sorted", () => {
    const s = schema(
      `  - { name: src, type: string, indicators: [ip] }
  - { name: hops, type: array, element: { type: string, indicators: [ip] } }
  - { name: arn, type: string, indicators: [aws_arn] }
  - { name: account, type: string, indicators: [aws_account_id] }`,
    );
    const result = ok(s.parseText(JSON.stringify({ src: "10.0.0.2", hops: ["10.0.0.1", "10.0.0.2"], arn: "arn:aws:iam::123456789012:root", account: "123456789012" })));
    expect(result.indicators).toEqual({
      p_any_ip_addresses: ["10.0.0.1", "10.0.0.2"],
      p_any_aws_arns: ["arn:aws:iam::123456789012:root"],
      p_any_aws_account_ids: ["123456789012"],
    });
    // The next parse starts from nothing.
    expect(ok(s.parseText('{"src": "10.9.9.9"}')).indicators).toEqual({ p_any_ip_addresses: ["10.9.9.9"] });
  });

  it("validate rules fail the line with the reason", () => {
    const s = schema("  - { name: method, type: string, validate: { allow: [GET, POST] } }\n  - { name: ip, type: string, validate: { ip: ipv4 } }");
    expect(error(s.parseText('{"method": "DELETE"}'))).toBe('$.method: expected one of ["GET", "POST"], got "DELETE"');
    expect(error(s.parseText('{"ip": "::1"}'))).toBe('$.ip: expected an ipv4 address, got "::1"');
    expect(ok(s.parseText('{"method": "GET", "ip": "10.0.0.1"}')).event).toEqual({ method: "GET", ip: "10.0.0.1" });
  });
});

describe("limits and reuse", () => {
  it("nesting deeper than 100 levels fails cleanly", () => {
    const s = schema("  - { name: j, type: json }");
    const deep = `{"j": ${"[".repeat(5000)}${"]".repeat(5000)}}`;
    expect(error(s.parseText(deep))).toMatch(/^\$\.j(\[0\])+: nested deeper than 100 levels$/);
    const shallow = `{"j": ${"[".repeat(90)}${"]".repeat(90)}}`;
    expect(s.parseText(shallow).ok).toBe(true);
  });

  it("a recursive ref stops at the depth cap too", () => {
    const s = schema(
      "  - { name: n, type: ref, target: Node }",
      "definitions:\n  Node: { type: object, fields: [{ name: next, type: ref, target: Node }] }",
    );
    let line = "{}";
    for (let i = 0; i < 150; i++) line = `{"next": ${line}}`;
    expect(error(s.parseText(`{"n": ${line}}`))).toMatch(/nested deeper than 100 levels$/);
  });

  it("the root must be an object", () => {
    const s = schema("  - { name: a, type: int }");
    expect(error(s.parseText("[1]"))).toBe("$: expected object, got an array");
  });

  it("parse() normalizes in place and says when a failed parse wrote into the value", () => {
    const s = schema("  - { name: t, type: timestamp, timeFormat: unix }\n  - { name: n, type: int }");
    const value = JSON.parse('{"t": 0, "n": "x"}');
    const result = s.parse(value);
    expect(result.ok ? null : result.mutated).toBe(true);
    expect(value.t).toBe("1970-01-01T00:00:00.000Z");
    const untouched = s.parse(JSON.parse('{"n": "x"}'));
    expect(untouched.ok ? null : untouched.mutated).toBe(false);
  });
});
