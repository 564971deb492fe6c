import { describe, expect, it } from "vitest";
import { Framer, type LogStreamType } from "./framing";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Chunk boundaries: one chunk, every 2-way split, or one byte at a time. */
type Split = "whole" | "bytes" | number;

function frame(input: string | Uint8Array, mode: LogStreamType, split: Split = "whole") {
  const bytes = typeof input === "string" ? enc.encode(input) : input;
  const framer = new Framer({ logStreamType: mode, maxRecordBytes: 1 << 20, headBytes: 64 });
  const cuts = split === "whole" ? [] : split === "bytes" ? bytes.map((_, i) => i + 1) : [split];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    framer.push(bytes.subarray(from, to));
    from = to;
  }
  framer.end();
  const records = framer.out.map((r) => {
    if (r.kind !== "bytes") throw new Error("unexpected too-long record");
    return dec.decode(r.bytes);
  });
  return { records, blankLines: framer.blankLines, framing: framer.framing };
}

/** Frames `input` whole, byte by byte and at every split point; all must agree. */
function frameEverySplit(input: string, mode: LogStreamType) {
  const whole = frame(input, mode);
  expect(frame(input, mode, "bytes")).toEqual(whole);
  for (let i = 1; i < enc.encode(input).length; i++) expect(frame(input, mode, i)).toEqual(whole);
  return whole;
}

describe("Lines", () => {
  it("yields one record per line, strips one trailing CR and counts blank lines", () => {
    const out = frameEverySplit("a\nb\r\n\n  \r\n  c d  \r\n\r\né€𝄞\n", "Lines");
    expect(out.records).toEqual(["a", "b", "  c d  ", "é€𝄞"]);
    expect(out.blankLines).toBe(3);
  });

  it("keeps a last line without newline, and counts a trailing whitespace-only line as blank", () => {
    expect(frameEverySplit("a\nb", "Lines").records).toEqual(["a", "b"]);
    expect(frameEverySplit("a\n", "Lines")).toEqual({ records: ["a"], blankLines: 0, framing: "Lines" });
    expect(frameEverySplit("a\n \t", "Lines").blankLines).toBe(1);
  });

  it("keeps JSON-looking text on a line as it is", () => {
    expect(frameEverySplit('{"a":\n1}\n', "Lines").records).toEqual(['{"a":', "1}"]);
  });
});

describe("JSON", () => {
  it("splits NDJSON, concatenated and pretty-printed objects by depth, respecting strings and escapes", () => {
    const input = [
      '{"a":1}',
      '{"b":"x}y{z\\"}"}{"c":[1,{"d":"]"}]}',
      '{\n  "e": [\n    1,\n    {"f": "\\\\"}\n  ],\n  "g": "\\u00e9 é 𝄞"\n}',
      "",
      '  {"h":"\\\\\\"}"}  ',
    ].join("\n");
    const out = frameEverySplit(input, "JSON");
    expect(out.records).toEqual([
      '{"a":1}',
      '{"b":"x}y{z\\"}"}',
      '{"c":[1,{"d":"]"}]}',
      '{\n  "e": [\n    1,\n    {"f": "\\\\"}\n  ],\n  "g": "\\u00e9 é 𝄞"\n}',
      '{"h":"\\\\\\"}"}',
    ]);
    expect(out.records.map((r) => JSON.parse(r))).toHaveLength(5);
    expect(out.blankLines).toBe(1);
  });

  it("keeps top-level scalars, strings and garbage lines as records", () => {
    const out = frameEverySplit('hello world \r\n"a string"\n42\n{"a":1} trailing\n[1,2]\n', "JSON");
    expect(out.records).toEqual(["hello world", '"a string"', "42", '{"a":1}', "trailing", "[1,2]"]);
  });

  it("cuts a string at a raw newline, so a truncated line does not swallow the next", () => {
    const out = frameEverySplit('{"a":"abc\r\n{"b":2}\n"open\n{"c":3}', "JSON");
    expect(out.records).toEqual(['{"a":"abc', '{"b":2}', '"open', '{"c":3}']);
  });

  it("cuts before an object that starts a new line right after a complete value", () => {
    const out = frameEverySplit('{"a":1\n{"b":2}\n{"c":[1,2]\n\n[3]\n{"d":{"e":1}\n}\n', "JSON");
    expect(out.records).toEqual(['{"a":1', '{"b":2}', '{"c":[1,2]', "[3]", '{"d":{"e":1}\n}']);
  });

  it("keeps an unterminated value to the end as one record, and a stray closer as its own", () => {
    expect(frameEverySplit('{"a":1}}\n{"b":{"c":1}', "JSON").records).toEqual(['{"a":1}', "}", '{"b":{"c":1}']);
  });

  it("frames deeply nested values without recursion", () => {
    const deep = "[".repeat(20000) + '{"x":"]"}' + "]".repeat(20000);
    const out = frame(`${deep}\n${deep}`, "JSON");
    expect(out.records).toEqual([deep, deep]);
  });
});

describe("JsonArray", () => {
  it("yields each element of a top-level array, whatever its kind", () => {
    const out = frameEverySplit('[{"a":1},{"b":[1,"]",{"c":"}"}]}, "s,]", 3.5e2 ,null,true,\n [1]]', "JsonArray");
    expect(out.records).toEqual(['{"a":1}', '{"b":[1,"]",{"c":"}"}]}', '"s,]"', "3.5e2", "null", "true", "[1]"]);
  });

  it("handles pretty-printed arrays, empty arrays and several arrays in a row", () => {
    expect(frameEverySplit('[\n  {\n    "a": 1\n  },\n  {"b": 2}\n]\n', "JsonArray").records).toEqual([
      '{\n    "a": 1\n  }',
      '{"b": 2}',
    ]);
    expect(frameEverySplit(" [ ] \n[]", "JsonArray").records).toEqual([]);
    expect(frameEverySplit('[1,2][{"a":3}]', "JsonArray").records).toEqual(["1", "2", '{"a":3}']);
  });

  it("keeps the rest of a truncated array as a record", () => {
    expect(frameEverySplit('[{"a":1},{"b":{"c":', "JsonArray").records).toEqual(['{"a":1}', '{"b":{"c":']);
    expect(frameEverySplit('[{"a":"x}]', "JsonArray").records).toEqual(['{"a":"x}]']);
  });

  it("frames a body that is not an array as a stream of JSON values", () => {
    expect(frameEverySplit('{"a":1}\n{"b":2}', "JsonArray").records).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("frames deep nesting inside the array", () => {
    const deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
    expect(frame(`[${deep},${deep}]`, "JsonArray").records).toEqual([deep, deep]);
  });
});

describe("Auto", () => {
  it("picks JsonArray from '[', JSON from '{', Lines otherwise, after leading blank lines", () => {
    expect(frameEverySplit(' \n\t[{"a":1}]', "Auto")).toEqual({ records: ['{"a":1}'], blankLines: 1, framing: "JsonArray" });
    expect(frameEverySplit('\n{"a":1}\n{"b":2}', "Auto")).toEqual({
      records: ['{"a":1}', '{"b":2}'],
      blankLines: 1,
      framing: "JSON",
    });
    expect(frameEverySplit("\r\n  plain text\nline 2", "Auto")).toEqual({
      records: ["  plain text", "line 2"],
      blankLines: 1,
      framing: "Lines",
    });
  });

  it("decides nothing on an empty or blank body", () => {
    expect(frame("", "Auto")).toEqual({ records: [], blankLines: 0, framing: null });
    expect(frameEverySplit(" \n ", "Auto")).toEqual({ records: [], blankLines: 2, framing: null });
  });
});

describe("conservation", () => {
  // A small deterministic PRNG, so a failure reproduces.
  function prng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const tokens = ["{", "}", "[", "]", '"', "\\", ",", ":", " ", "\n", "\r\n", "a", "1", "é", "€", "𝄞", "null", '{"k":"v"}'];
  const separators: Record<LogStreamType, RegExp> = {
    Auto: /[ \t\r\n[\],]/g,
    JSON: /[ \t\r\n]/g,
    JsonArray: /[ \t\r\n[\],]/g,
    Lines: /[ \t\r\n]/g,
  };

  it("puts every non-separator byte into exactly one record, in order, whatever the chunking", () => {
    const random = prng(42);
    for (let n = 0; n < 300; n++) {
      let input = "";
      const len = 1 + Math.floor(random() * 60);
      for (let i = 0; i < len; i++) input += tokens[Math.floor(random() * tokens.length)];
      for (const mode of ["Auto", "JSON", "JsonArray", "Lines"] as const) {
        const whole = frame(input, mode);
        const strip = (s: string) => s.replace(separators[mode], "");
        // Lines and JSON only drop whitespace; a top-level array also drops its brackets and commas.
        expect(strip(whole.records.join("")), `${mode}: ${JSON.stringify(input)}`).toBe(strip(input));
        expect(whole.records.every((r) => r.trim() !== "")).toBe(true);
        const cut = 1 + Math.floor(random() * Math.max(1, enc.encode(input).length - 1));
        expect(frame(input, mode, cut), `${mode} split at ${cut}: ${JSON.stringify(input)}`).toEqual(whole);
        expect(frame(input, mode, "bytes")).toEqual(whole);
      }
    }
  });
});
