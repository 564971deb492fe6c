import { describe, expect, it } from "vitest";
import cloudTrail from "../../test/fixtures/schemas/aws-cloudtrail.yml?raw";
import cloudflare from "../../test/fixtures/schemas/cloudflare-http-request.yml?raw";
import nginx from "../../test/fixtures/schemas/custom-nginx.yml?raw";
import okta from "../../test/fixtures/schemas/okta-systemlog.yml?raw";
import { parseSchemaSpec } from "./spec";

function errorsOf(text: string) {
  const result = parseSchemaSpec(text);
  if (result.ok) throw new Error("expected the schema to be refused");
  return result.errors;
}

const minimal = (fields: string) => `version: 0\nfields:\n${fields}`;

describe("parseSchemaSpec: valid schemas", () => {
  it.each([
    ["aws-cloudtrail", cloudTrail, "AWS.CloudTrail"],
    ["okta-systemlog", okta, "Okta.SystemLog"],
    ["custom-nginx", nginx, "Custom.Nginx"],
    ["cloudflare-http-request", cloudflare, "Cloudflare.HttpRequest"],
  ])("the %s fixture loads", (_file, text, name) => {
    const result = parseSchemaSpec(text);
    expect(result.ok ? result.spec.schema : result.errors).toBe(name);
  });

  it("reads every key of the format", () => {
    const result = parseSchemaSpec(`
schema: Custom.Everything
description: all keys
referenceURL: https://example.com/docs
version: 0
parser:
  native:
    name: Custom.Everything
definitions:
  Point:
    type: object
    fields:
      - { name: x, type: float }
fields:
  - name: s
    type: string
    required: true
    description: a string
    indicators: [ip, url]
    validate: { allow: [a], deny: [b], ip: any, cidr: ipv4 }
  - { name: t, type: timestamp, timeFormat: rfc3339, isEventTime: true, isExpiration: false }
  - { name: t2, type: timestamp, timeFormats: [unix, "%Y"] }
  - { name: a, type: array, element: { type: int }, isEmbeddedJSON: true }
  - { name: o, type: object, fields: [{ name: i, type: smallint }], isEmbeddedJSON: true }
  - { name: j, type: json, isEmbeddedJSON: true }
  - { name: r, type: ref, target: Point }
  - { name: b, type: boolean }
  - { name: n, type: bigint }
  - { name: f, type: float }
  - { name: i, type: int }
`);
    expect(result.ok ? result.spec.fields.map((f) => f.type) : result.errors).toEqual([
      "string", "timestamp", "timestamp", "array", "object", "json", "ref", "boolean", "bigint", "float", "int",
    ]);
  });

  it("loads Panther's JSON schema files unchanged, including parser: native", () => {
    const json = JSON.stringify({
      schema: "Custom.SampleAPI",
      parser: { native: { name: "Custom.SampleAPI" } },
      version: 0,
      fields: [
        { name: "time", type: "timestamp", timeFormat: "rfc3339", isEventTime: true, required: true },
        { name: "method", type: "string", required: true, validate: { allow: ["GET", "POST"] } },
        { name: "remoteAddr", type: "string", indicators: ["ip"] },
        { name: "tags", type: "array", element: { type: "string" } },
      ],
    }, null, "\t");
    const result = parseSchemaSpec(json);
    expect(result.ok ? result.spec.fields.length : result.errors).toBe(4);
  });

  it("takes a schema without version, as Panther's own examples are written, and reads it as 0", () => {
    const result = parseSchemaSpec("schema: Custom.WebAccessLogs\nfields:\n  - { name: timestamp, type: timestamp, timeFormat: unix, isEventTime: true }");
    expect(result.ok ? result.spec.version : result.errors).toBe(0);
  });

  it("takes native: with no options, and parser: native as a bare name", () => {
    expect(parseSchemaSpec(minimal("  - { name: a, type: string }") + "\nparser:\n  native:\n").ok).toBe(true);
    expect(parseSchemaSpec(minimal("  - { name: a, type: string }") + "\nparser: native\n").ok).toBe(true);
    expect(errorsOf(minimal("  - { name: a, type: string }") + "\nparser: csv\n")).toEqual([
      { path: "parser", message: "text parsers (csv) are not supported yet: only JSON logs are classified" },
    ]);
  });
});

describe("parseSchemaSpec: every error with its path", () => {
  it("unknown keys at every level", () => {
    const errors = errorsOf(`
version: 0
owner: me
fields:
  - name: a
    type: string
    colour: red
  - name: o
    type: object
    fields:
      - { name: x, type: int, unit: ms }
definitions:
  D:
    type: string
    extra: 1
`);
    expect(errors).toEqual([
      { path: "owner", message: 'unknown key "owner"' },
      { path: "definitions.D.extra", message: 'unknown key "extra"' },
      { path: "fields[0].colour", message: 'unknown key "colour"' },
      { path: "fields[1].fields[0].unit", message: 'unknown key "unit"' },
    ]);
  });

  it("suggests the key that was meant", () => {
    expect(errorsOf(minimal("  - { name: a, type: string, indicator: [ip] }\n  - { name: t, type: timestamp, timeformat: unix }"))).toEqual([
      { path: "fields[0].indicator", message: 'unknown key "indicator" (did you mean "indicators"?)' },
      { path: "fields[1].timeformat", message: 'unknown key "timeformat" (did you mean "timeFormat"?)' },
      { path: "fields[1].timeFormat", message: "a timestamp needs timeFormat (or timeFormats)" },
    ]);
  });

  it("fields are required; version, when given, is 0", () => {
    expect(errorsOf("schema: Custom.App")).toEqual([{ path: "fields", message: "is required: a list of at least one field" }]);
    expect(errorsOf("version: 1\nfields: []")).toEqual([
      { path: "version", message: "must be 0" },
      { path: "fields", message: "must have at least one field" },
    ]);
  });

  it("bad types, names and flags", () => {
    const errors = errorsOf(`
version: 0
fields:
  - { name: a, type: text }
  - { type: string }
  - { name: "", type: string }
  - { name: d, type: string, required: "yes" }
  - { name: e }
  - { name: a, type: int }
  - { name: p_log_type, type: string }
  - just a string
`);
    expect(errors).toEqual([
      { path: "fields[0].type", message: 'unknown type "text" (one of string, int, smallint, bigint, float, boolean, timestamp, array, object, json, ref)' },
      { path: "fields[1].name", message: "is required" },
      { path: "fields[2].name", message: "must be a non-empty string" },
      { path: "fields[3].required", message: "must be true or false" },
      { path: "fields[4].type", message: "is required" },
      { path: "fields[5].name", message: 'duplicate field name "a" (also fields[0])' },
      { path: "fields[6].name", message: '"p_log_type": names starting with p_ are reserved for standard fields' },
      { path: "fields[7]", message: "a field must be a mapping with at least name and type" },
    ]);
  });

  it("keys that do not apply to the type", () => {
    expect(errorsOf(minimal("  - { name: a, type: int, timeFormat: unix, indicators: [ip], fields: [] }"))).toEqual([
      { path: "fields[0].indicators", message: "indicators applies to string values only, not int" },
      { path: "fields[0].timeFormat", message: "timeFormat applies to timestamp values only, not int" },
      { path: "fields[0].fields", message: "fields applies to object values only, not int" },
    ]);
  });

  it("timestamps need a known time format", () => {
    const errors = errorsOf(`
version: 0
fields:
  - { name: a, type: timestamp }
  - { name: b, type: timestamp, timeFormat: iso }
  - { name: c, type: timestamp, timeFormats: [unix, "%Q"] }
  - { name: d, type: timestamp, timeFormat: unix, timeFormats: [unix_ms] }
  - { name: e, type: timestamp, timeFormat: "layout=nothing" }
`);
    expect(errors.map((e) => e.path)).toEqual([
      "fields[0].timeFormat",
      "fields[1].timeFormat",
      "fields[2].timeFormats[1]",
      "fields[3].timeFormats",
      "fields[4].timeFormat",
    ]);
    expect(errors[1].message).toMatch(/unknown time format "iso"/);
    expect(errors[2].message).toBe("unknown strftime directive %Q");
  });

  it("indicators must be known names", () => {
    expect(errorsOf(minimal("  - { name: a, type: string, indicators: [ip, ipaddr, 3] }"))).toEqual([
      { path: "fields[0].indicators[1]", message: expect.stringMatching(/^unknown indicator "ipaddr" \(one of ip, domain/) },
      { path: "fields[0].indicators[2]", message: expect.stringMatching(/^unknown indicator 3/) },
    ]);
  });

  it("validate rules must be well formed", () => {
    expect(errorsOf(minimal("  - { name: a, type: string, validate: { allow: [], ip: v4, regex: x } }\n  - { name: b, type: string, validate: {} }"))).toEqual([
      { path: "fields[0].validate.allow", message: "must be a non-empty list of strings" },
      { path: "fields[0].validate.ip", message: "must be one of ipv4, ipv6, any" },
      { path: "fields[0].validate.regex", message: 'unknown key "regex"' },
      { path: "fields[1].validate", message: "needs at least one of allow, deny, ip, cidr" },
    ]);
  });

  it("arrays need an element, objects their fields, refs an existing definition", () => {
    const errors = errorsOf(`
version: 0
definitions:
  Known: { type: string }
fields:
  - { name: a, type: array }
  - { name: b, type: object }
  - { name: c, type: ref, target: Unknown }
  - { name: d, type: ref }
  - { name: e, type: array, element: { type: ref, target: Missing } }
`);
    expect(errors).toEqual([
      { path: "fields[0].element", message: "is required for an array" },
      { path: "fields[1].fields", message: "is required for an object" },
      { path: "fields[2].target", message: 'no definition named "Unknown" (definitions: Known)' },
      { path: "fields[3].target", message: "is required for a ref: the name of a definition" },
      { path: "fields[4].element.target", message: 'no definition named "Missing" (definitions: Known)' },
    ]);
  });

  it("definitions that only refer to each other are a cycle", () => {
    const errors = errorsOf(`
version: 0
definitions:
  A: { type: ref, target: B }
  B: { type: ref, target: A }
  Tree: { type: object, fields: [{ name: children, type: array, element: { type: ref, target: Tree } }] }
fields:
  - { name: a, type: ref, target: A }
`);
    expect(errors).toEqual([
      { path: "definitions.A.target", message: "definitions refer to each other in a cycle (A → B → A)" },
      { path: "definitions.B.target", message: "definitions refer to each other in a cycle (B → A → B)" },
    ]);
  });

  it("text parsers are refused by name", () => {
    for (const parser of ["fastmatch", "regex", "csv"]) {
      expect(errorsOf(`${minimal("  - { name: a, type: string }")}\nparser:\n  ${parser}:\n    match: ["%{a}"]\n`)).toEqual([
        { path: `parser.${parser}`, message: `text parsers (${parser}) are not supported yet: only JSON logs are classified` },
      ]);
    }
    expect(errorsOf(`${minimal("  - { name: a, type: string }")}\nparser:\n  xml: {}\n`)[0].path).toBe("parser.xml");
  });

  it("field transformations are refused by name", () => {
    const errors = errorsOf(`
version: 0
fields:
  - { name: a, type: string, rename: { from: PIN } }
  - { name: b, type: string, mask: { type: redact } }
  - { name: c, type: string, copy: { from: a } }
  - { name: d, type: string, concat: { paths: [a, b] } }
  - { name: e, type: array, element: { type: string }, split: { from: a, separator: "," } }
`);
    expect(errors).toEqual(
      ["rename", "mask", "copy", "concat", "split"].map((t, i) => ({
        path: `fields[${i}].${t}`,
        message: `field transformations (${t}) are not supported yet`,
      })),
    );
  });

  it("top-level names, descriptions and URLs", () => {
    const errors = errorsOf(`
schema: custom.lower
description: 42
referenceURL: not a url
version: 0
fields:
  - { name: a, type: string, description: [x] }
`);
    expect(errors.map((e) => e.path)).toEqual(["schema", "description", "referenceURL", "fields[0].description"]);
  });

  it("YAML syntax errors carry the line and column", () => {
    const errors = errorsOf("version: 0\nfields:\n  - name: a\n    type: [string\n");
    expect(errors[0].path).toBe("");
    expect(errors[0].message).toMatch(/^YAML syntax error at line \d+, column \d+: /);
    expect(errorsOf("version: 0\nversion: 0\nfields: []")[0].message).toMatch(/line 2, column 1: Map keys must be unique/);
  });

  it("a JSON file with a syntax error is reported with its position too", () => {
    expect(errorsOf('{\n  "version": 0,\n  "fields": [\n}')[0].message).toMatch(/^YAML syntax error at line \d+, column \d+/);
  });

  it("a schema nested absurdly deep is refused, not a stack overflow", () => {
    const json = '{"version":0,"fields":[{"name":"a",' + '"type":"array","element":{'.repeat(20_000) + '"type":"string"' + "}".repeat(20_000) + "}]}";
    const errors = errorsOf(json);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe("nested deeper than 50 levels");
    expect(errors[0].path).toMatch(/^fields\[0\](\.element){51}$/);
    let yaml = "{ type: string }";
    for (let i = 0; i < 5000; i++) yaml = `{ type: array, element: ${yaml} }`;
    expect(errorsOf(`version: 0\nfields:\n  - { name: a, type: array, element: ${yaml} }`)[0].message).toMatch(/^YAML syntax error at line 3/);
  });

  it("a document that is not a mapping", () => {
    expect(errorsOf("- a\n- b")).toEqual([{ path: "", message: "a schema must be a mapping (YAML) or an object (JSON)" }]);
    expect(errorsOf("")).toEqual([{ path: "", message: "a schema must be a mapping (YAML) or an object (JSON)" }]);
  });
});
