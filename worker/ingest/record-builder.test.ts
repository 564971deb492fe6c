import { describe, expect, it } from "vitest";
import { sha256Hex } from "../auth/tokens";
import { Framer } from "./framing";
import { RecordBuilder, type RawRecord } from "./record-builder";

const enc = new TextEncoder();

function build(pieces: string[], max: number, trim: "none" | "cr" | "ws"): RawRecord {
  const builder = new RecordBuilder(max, 4);
  for (const p of pieces) builder.append(enc.encode(p));
  return builder.finish(trim);
}

describe("RecordBuilder", () => {
  it("keeps a record up to the cap whole, trimmed as asked", () => {
    expect(build(["ab", "c\r"], 4, "cr")).toEqual({ kind: "bytes", bytes: enc.encode("abc") });
    expect(build(["ab ", " \r"], 5, "ws")).toEqual({ kind: "bytes", bytes: enc.encode("ab") });
    expect(build(["ab \r"], 4, "none")).toEqual({ kind: "bytes", bytes: enc.encode("ab \r") });
  });

  it("past the cap keeps only a head, the length and a hash of every byte", async () => {
    const r = build(["hello ", "wor", "ld!"], 5, "none");
    expect(r.kind).toBe("tooLong");
    if (r.kind !== "tooLong") return;
    expect(new TextDecoder().decode(r.head)).toBe("hell");
    expect(r.length).toBe(12);
    expect(await r.sha256).toBe(await sha256Hex("hello world!"));
    expect(r.invalidUtf8).toBe(false);
  });

  it("trims a too-long record's trailing whitespace out of its hash and length", async () => {
    for (const [pieces, trim, kept] of [
      [["abcdef", "gh \r"], "cr", "abcdefgh "],
      [["abcdef", "gh ", "\r", "\n "], "ws", "abcdefgh"],
      [["abc  ", " def ", "\r"], "cr", "abc   def "],
    ] as const) {
      const r = build([...pieces], 3, trim);
      if (r.kind !== "tooLong") throw new Error("expected too long");
      expect(r.length).toBe(kept.length);
      expect(await r.sha256).toBe(await sha256Hex(kept));
    }
  });

  it("flags invalid UTF-8 anywhere in a too-long record, including a cut-off last character", () => {
    const builder = new RecordBuilder(2, 4);
    builder.append(enc.encode("abc"));
    builder.append(new Uint8Array([0xe2, 0x82]));
    const r = builder.finish("none");
    expect(r.kind === "tooLong" && r.invalidUtf8).toBe(true);
  });
});

describe("too-long records in framing", () => {
  it("frames past a too-long JSON value and keeps the records around it", async () => {
    const big = JSON.stringify({ msg: "x".repeat(5000), nested: [{ a: "}" }] });
    const framer = new Framer({ logStreamType: "JSON", maxRecordBytes: 1000, headBytes: 100 });
    const input = enc.encode(`{"a":1}\n${big}\r\n{"b":2}\n`);
    for (let i = 0; i < input.length; i += 7) framer.push(input.subarray(i, i + 7));
    framer.end();
    const [first, long, last] = framer.out;
    expect(framer.out).toHaveLength(3);
    expect(first).toEqual({ kind: "bytes", bytes: enc.encode('{"a":1}') });
    expect(last).toEqual({ kind: "bytes", bytes: enc.encode('{"b":2}') });
    if (long.kind !== "tooLong") throw new Error("expected too long");
    expect(long.length).toBe(big.length);
    expect(new TextDecoder().decode(long.head)).toBe(big.slice(0, 100));
    expect(await long.sha256).toBe(await sha256Hex(big));
  });

  it("hashes a too-long line without its CR LF", async () => {
    const line = "y".repeat(3000);
    const framer = new Framer({ logStreamType: "Lines", maxRecordBytes: 1000, headBytes: 10 });
    framer.push(enc.encode(`${line}\r\nshort\r\n`));
    framer.end();
    const long = framer.out[0];
    if (long.kind !== "tooLong") throw new Error("expected too long");
    expect(long.length).toBe(3000);
    expect(await long.sha256).toBe(await sha256Hex(line));
    expect(framer.out[1]).toEqual({ kind: "bytes", bytes: enc.encode("short") });
  });
});
