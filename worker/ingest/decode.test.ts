import { describe, expect, it } from "vitest";
import { sha256Hex } from "../auth/tokens";
import { ApiError } from "../errors";
import { streamSource } from "./byte-source";
import { FEED_BUDGET, inflateSource } from "./inflate";
import { decodeBody, readRawBody, type DecodeOptions, type DecodedRecord } from "./decode";

const enc = new TextEncoder();
const sha = (data: string | Uint8Array) => sha256Hex(typeof data === "string" ? data : new Uint8Array(data));

async function compress(data: Uint8Array, format: "gzip" | "deflate" | "deflate-raw" = "gzip"): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([data]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A body stream in chunks of `size` bytes that remembers how far it was read and whether it was cancelled. */
function bodyStream(data: Uint8Array, size = 1000) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= data.length) return controller.close();
      controller.enqueue(data.slice(state.pulled, state.pulled + size));
      state.pulled += size;
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function decodeAll(body: ReadableStream<Uint8Array> | Uint8Array | null, options: DecodeOptions) {
  const decoded = decodeBody(body, options);
  const chunks: DecodedRecord[][] = [];
  for await (const chunk of decoded) chunks.push(chunk);
  return { chunks, records: chunks.flat(), summary: decoded.summary };
}

async function decodeError(body: ReadableStream<Uint8Array> | Uint8Array, options: DecodeOptions): Promise<ApiError> {
  const err = await decodeAll(body, options).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}

const ndjson = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ i: i + from, msg: `event ${i + from} é` })).join("\n") + "\n";

describe("decodeBody", () => {
  it("streams NDJSON into indexed records with totals and the raw digest", async () => {
    const text = `\n${ndjson(3)}\n`;
    const body = enc.encode(text);
    const { records, summary } = await decodeAll(bodyStream(body, 7).stream, { logStreamType: "Auto" });
    expect(records.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(records.map((r) => JSON.parse(r.text).i)).toEqual([0, 1, 2]);
    expect(records[0].bytes).toBe(enc.encode(records[0].text).length);
    expect(summary).toEqual({
      rawBytes: body.length,
      decompressedBytes: body.length,
      records: 3,
      blankLines: 2,
      invalidUtf8Records: 0,
      tooLongRecords: 0,
      encoding: "identity",
      framing: "JSON",
      rawSha256: await sha(body),
    });
  });

  it("hands out chunks bounded by record count and by text size", async () => {
    const { chunks } = await decodeAll(enc.encode(ndjson(1200)), { logStreamType: "JSON" });
    expect(chunks.map((c) => c.length)).toEqual([500, 500, 200]);
    const lines = Array.from({ length: 10 }, (_, i) => String(i).repeat(300)).join("\n");
    const bySize = await decodeAll(enc.encode(lines), { logStreamType: "Lines", chunk: { maxTextBytes: 1000 } });
    expect(bySize.chunks.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(bySize.records.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("decodes an empty or missing body to nothing", async () => {
    for (const body of [null, new Uint8Array(0), bodyStream(new Uint8Array(0)).stream]) {
      const { chunks, summary } = await decodeAll(body, { logStreamType: "Auto", contentEncoding: "gzip" });
      expect(chunks).toEqual([]);
      expect(summary).toMatchObject({ rawBytes: 0, records: 0, framing: null, rawSha256: await sha("") });
    }
  });

  it("strips a UTF-8 byte order mark, and keeps text exact otherwise", async () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode("  first\nsecond é\n")]);
    const { records } = await decodeAll(body, { logStreamType: "Auto" });
    expect(records.map((r) => r.text)).toEqual(["  first", "second é"]);
  });

  it("gives the totals only after the last chunk, and decodes once", async () => {
    const decoded = decodeBody(enc.encode("a\n"), { logStreamType: "Lines" });
    expect(() => decoded.summary).toThrow(/not been decoded/);
    for await (const _ of decoded) expect(() => decoded.summary).toThrow();
    expect(decoded.summary.records).toBe(1);
    expect(() => decoded[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it("cancels the body when the caller stops early", async () => {
    const { stream, state } = bodyStream(enc.encode(ndjson(2000)), 1000);
    for await (const chunk of decodeBody(stream, { logStreamType: "JSON" })) {
      expect(chunk).toHaveLength(500);
      break;
    }
    expect(state.cancelled).toBe(true);
  });
});

describe("compression", () => {
  const text = ndjson(50);

  it("decompresses gzip announced by Content-Encoding, or found by its magic bytes alone", async () => {
    const gz = await compress(enc.encode(text));
    for (const contentEncoding of ["gzip", "GZIP", "x-gzip", null, "identity", "br"]) {
      const { records, summary } = await decodeAll(bodyStream(gz, 100).stream, { logStreamType: "Auto", contentEncoding });
      expect(records).toHaveLength(50);
      expect(summary).toMatchObject({ encoding: "gzip", rawBytes: gz.length, decompressedBytes: enc.encode(text).length });
      expect(summary.rawSha256).toBe(await sha(gz));
    }
  });

  it("decompresses deflate, zlib-wrapped or raw", async () => {
    for (const format of ["deflate", "deflate-raw"] as const) {
      const body = await compress(enc.encode(text), format);
      const { records, summary } = await decodeAll(body, { logStreamType: "JSON", contentEncoding: "deflate" });
      expect(records).toHaveLength(50);
      expect(summary.encoding).toBe(format);
    }
  });

  it("refuses a gzip header on a body that is not gzip (415)", async () => {
    const err = await decodeError(enc.encode(text), { logStreamType: "Auto", contentEncoding: "gzip" });
    expect(err.status).toBe(415);
    expect(err.message).toMatch(/^the body is not valid gzip: .*magic bytes/);
  });

  it("refuses corrupt, truncated or trailing gzip data (415)", async () => {
    const gz = await compress(enc.encode(text));
    const corrupt = gz.slice();
    for (let i = 20; i < 40; i++) corrupt[i] ^= 0xff;
    const truncated = gz.slice(0, gz.length - 10);
    const trailing = new Uint8Array([...gz, 0x41, 0x42]);
    for (const body of [corrupt, truncated, trailing]) {
      const err = await decodeError(bodyStream(body, 64).stream, { logStreamType: "Auto", contentEncoding: "gzip" });
      expect(err.status).toBe(415);
      expect(err.message).toMatch(/^the body is not valid gzip: \S/);
    }
  });

  it("refuses codings it cannot decode, naming them (415)", async () => {
    for (const [contentEncoding, named] of [
      ["br", "'br'"],
      ["zstd", "'zstd'"],
      ["gzip, br", "'gzip, br'"],
    ]) {
      const err = await decodeError(enc.encode(text), { logStreamType: "Auto", contentEncoding });
      expect(err.status).toBe(415);
      expect(err.message).toContain(named);
    }
  });

  it("stops a compression bomb at the decompressed limit, right after the cap (413)", async () => {
    // 64 MiB of zeros is ~64 KiB of gzip. Through decodeBody the text check would refuse it
    // first (NUL bytes), so the decompression stage is driven on its own here.
    const bomb = await compress(new Uint8Array(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const { stream, state } = bodyStream(bomb, 512);
    const inflated = inflateSource(streamSource(stream), "gzip", 1024 * 1024);
    let out = 0;
    const err = await (async () => {
      for (let chunk = await inflated.next(); chunk; chunk = await inflated.next()) out += chunk.length;
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(413);
    expect((err as ApiError).message).toContain("decompressed size limit of 1 MiB (1048576 bytes)");
    expect(out).toBeLessThanOrEqual(1024 * 1024);
    // Only the feed budget of input was ever inflated (plus the stream's read-ahead).
    expect(state.pulled).toBeLessThanOrEqual(FEED_BUDGET + 2 * 512);
    expect(state.cancelled).toBe(true);
  });

  it("refuses a bomb of text at the decompressed limit, whatever the framing (413)", async () => {
    const spaces = await compress(new Uint8Array(20 * 1024 * 1024).fill(0x20));
    const lines = await compress(enc.encode('{"a":1}\n'.repeat(2 * 1024 * 1024)));
    for (const bomb of [spaces, lines]) {
      const { stream, state } = bodyStream(bomb, 512);
      const err = await decodeError(stream, { logStreamType: "Auto", limits: { maxDecompressedBytes: 1024 * 1024 } });
      expect(err.status).toBe(413);
      expect(state.pulled).toBeLessThanOrEqual(FEED_BUDGET + 2 * 512);
      expect(state.cancelled).toBe(true);
    }
  });

  it("refuses a bomb of zeros as binary before inflating it (415)", async () => {
    const err = await decodeError(await compress(new Uint8Array(20 * 1024 * 1024)), { logStreamType: "Auto" });
    expect(err.status).toBe(415);
    expect(err.message).toMatch(/NUL bytes/);
  });
});

describe("limits and text", () => {
  it("refuses a raw body over the body limit as it streams (413) and cancels it", async () => {
    const { stream, state } = bodyStream(enc.encode(ndjson(1000)), 1000);
    const err = await decodeError(stream, { logStreamType: "JSON", limits: { maxBodyBytes: 5000 } });
    expect(err.status).toBe(413);
    expect(err.message).toContain("body size limit of 4.88 KiB (5000 bytes)");
    // The stream reads one chunk ahead of what was taken.
    expect(state.pulled).toBeLessThanOrEqual(7000);
    expect(state.cancelled).toBe(true);
  });

  it("counts the body limit on the compressed bytes", async () => {
    const gz = await compress(enc.encode(ndjson(1000)));
    const err = await decodeError(gz, { logStreamType: "JSON", limits: { maxBodyBytes: gz.length - 1 } });
    expect(err.status).toBe(413);
    const ok = await decodeAll(gz, { logStreamType: "JSON", limits: { maxBodyBytes: gz.length } });
    expect(ok.records).toHaveLength(1000);
  });

  it("refuses a body that is not UTF-8 text as a whole (415)", async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...'{"a":1}'].map((c) => c.charCodeAt(0))).buffer)]);
    const utf16NoBom = utf16.slice(2);
    const random = new Uint8Array(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 251;
    const msgpack = new Uint8Array([0x92, 0xd7, 0x00, 0x66, 0x5f, 0x1a, 0x2b, 0x00, 0x00, 0x00, 0x00, 0x81, 0xa3, 0x6c, 0x6f, 0x67]);
    const cases: [Uint8Array, RegExp][] = [
      [utf16, /UTF-16 byte order mark/],
      [utf16NoBom, /NUL bytes/],
      [random, /NUL bytes|invalid UTF-8 or control/],
      [msgpack, /NUL bytes.*MessagePack/],
      [await compress(utf16), /UTF-16/],
    ];
    for (const [body, message] of cases) {
      const err = await decodeError(body, { logStreamType: "Auto" });
      expect(err.status).toBe(415);
      expect(err.message).toMatch(/^the body is not UTF-8 text: /);
      expect(err.message).toMatch(message);
    }
  });

  it("flags a record with invalid UTF-8 and keeps it, with replacement characters", async () => {
    const body = new Uint8Array([...enc.encode("ok\n"), 0x63, 0x61, 0x66, 0xe9, 0x0a, ...enc.encode("fine €\n")]);
    const { records, summary } = await decodeAll(body, { logStreamType: "Lines" });
    expect(records).toEqual([
      { index: 0, text: "ok", bytes: 2 },
      { index: 1, text: "caf\ufffd", bytes: 4, invalidUtf8: true },
      { index: 2, text: "fine €", bytes: 8 },
    ]);
    expect(summary.invalidUtf8Records).toBe(1);
  });

  it("keeps a record over the line limit as its head, length and SHA-256", async () => {
    // A 3-byte character straddles the 64 KiB head boundary, so the head ends before it.
    const long = `{"msg":"${"a".repeat(65536 - 9)}€${"b".repeat(3 * 1024 * 1024)}"}`;
    const body = enc.encode(`{"i":0}\n${long}\r\n{"i":2}\n`);
    const gz = await compress(body);
    const { records, summary } = await decodeAll(bodyStream(gz, 4096).stream, { logStreamType: "Auto" });
    expect(records).toHaveLength(3);
    const [first, big, last] = records;
    expect([first.text, last.text]).toEqual(['{"i":0}', '{"i":2}']);
    expect(big.index).toBe(1);
    expect(big.bytes).toBe(enc.encode(long).length);
    expect(big.tooLong?.length).toBe(big.bytes);
    expect(big.tooLong?.sha256).toBe(await sha(long));
    expect(big.tooLong?.head).toBe(long.slice(0, 65536 - 1));
    expect(big.text).toBe(big.tooLong?.head);
    expect(big.invalidUtf8).toBeUndefined();
    expect(summary).toMatchObject({ records: 3, tooLongRecords: 1, decompressedBytes: body.length });
  });

  it("applies a custom line limit exactly", async () => {
    const { records } = await decodeAll(enc.encode("12345\n123456\n"), { logStreamType: "Lines", limits: { maxLineBytes: 5 } });
    expect(records[0].tooLong).toBeUndefined();
    expect(records[1].tooLong).toEqual({ head: "123456", length: 6, sha256: await sha("123456") });
  });
});

describe("readRawBody", () => {
  it("reads a whole body with its digest, refusing one over the limit", async () => {
    const body = enc.encode(ndjson(100));
    const read = await readRawBody(bodyStream(body, 333).stream, body.length);
    expect(read.bytes).toEqual(body);
    expect(read.sha256).toBe(await sha(body));
    const { stream, state } = bodyStream(body, 333);
    await expect(readRawBody(stream, 1000)).rejects.toMatchObject({ status: 413 });
    expect(state.cancelled).toBe(true);
    expect(await readRawBody(null)).toEqual({ bytes: new Uint8Array(0), sha256: await sha("") });
  });
});
