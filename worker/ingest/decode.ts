import { sha256Hex } from "../auth/tokens";
import { PeekableSource, bytesSource, concatBytes, streamSource, tapSource, type ByteSource } from "./byte-source";
import { resolveBodyEncoding, type BodyEncoding } from "./content-encoding";
import { inflateSource } from "./inflate";
import { Framer, type Framing, type LogStreamType } from "./framing";
import {
  DEFAULT_INGEST_LIMITS,
  TOO_LONG_HEAD_BYTES,
  bodyTooLarge,
  decompressedTooLarge,
  type IngestLimits,
} from "./limits";
import { storedBytes, toDecodedRecord, type DecodedRecord } from "./records";
import { Sha256Stream } from "./sha256-stream";
import { SNIFF_BYTES, assertLooksLikeText, utf8BomLength } from "./text-sniff";

export type { DecodedRecord, TooLongRecord } from "./records";
export type { Framing, LogStreamType } from "./framing";
export type { BodyEncoding } from "./content-encoding";

/** A request body: its stream, or its bytes when they had to be read first (HMAC, digest). */
export type BodyInput = ReadableStream<Uint8Array> | Uint8Array | null;

/** Bounds of one chunk of records handed to the caller, so it classifies and writes in steps. */
export interface ChunkLimits {
  maxRecords: number;
  /** Sum of the records' sizes (a too-long record counts as its head). */
  maxTextBytes: number;
}

// 500 rows or ~1 MiB of text: a handful of D1 statements per chunk (100 KB and 100 bound
// parameters each), and a bounded amount of memory whatever the batch size.
export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { maxRecords: 500, maxTextBytes: 1024 * 1024 };

export interface DecodeOptions {
  /** The request's Content-Encoding header, as sent. */
  contentEncoding?: string | null;
  logStreamType: LogStreamType;
  limits?: Partial<IngestLimits>;
  chunk?: Partial<ChunkLimits>;
}

/** Totals of a decoded body, available once every chunk has been taken. */
export interface DecodeSummary {
  rawBytes: number;
  decompressedBytes: number;
  records: number;
  blankLines: number;
  invalidUtf8Records: number;
  tooLongRecords: number;
  encoding: BodyEncoding;
  /** Null when an `Auto` body had no record to decide from. */
  framing: Framing | null;
  /** Hex SHA-256 of the body as sent (before decompression). */
  rawSha256: string;
}

// Decompressed bytes are framed in slices this big, so one large chunk (a buffered body) does
// not turn into one large burst of records before the caller can take them.
const FRAME_SLICE = 64 * 1024;

/**
 * Decodes a request body into chunks of records: raw size cap, gzip/deflate by header or magic
 * bytes, decompressed size cap, a text check, framing per `logStreamType`, UTF-8 per record.
 *
 *     const decoded = decodeBody(request.body, { contentEncoding, logStreamType, limits });
 *     for await (const records of decoded) await classifyAndWrite(records);
 *     const { records, blankLines, rawSha256 } = decoded.summary;
 *
 * Errors are ApiErrors: 413 PAYLOAD_TOO_LARGE over a size limit, 415 UNSUPPORTED_MEDIA_TYPE for
 * an undecodable body. A 415 for a body that is not text comes before the first chunk; a size
 * limit or corrupt compressed data (the gzip checksum is at its end) can surface after chunks
 * were already handed out. Iterate once; stopping early cancels the body.
 */
export function decodeBody(body: BodyInput, options: DecodeOptions): BodyDecoder {
  return new BodyDecoder(body, options);
}

export class BodyDecoder implements AsyncIterable<DecodedRecord[]> {
  private result: DecodeSummary | null = null;
  private started = false;
  private readonly limits: IngestLimits;
  private readonly chunkLimits: ChunkLimits;

  constructor(
    private readonly body: BodyInput,
    private readonly options: DecodeOptions,
  ) {
    this.limits = { ...DEFAULT_INGEST_LIMITS, ...options.limits };
    this.chunkLimits = { ...DEFAULT_CHUNK_LIMITS, ...options.chunk };
  }

  /** The totals; throws until iteration has completed. */
  get summary(): DecodeSummary {
    if (!this.result) throw new Error("the body has not been decoded to its end yet");
    return this.result;
  }

  [Symbol.asyncIterator](): AsyncGenerator<DecodedRecord[]> {
    if (this.started) throw new Error("a body can be decoded only once");
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<DecodedRecord[]> {
    const sizes = { rawBytes: 0, decompressedBytes: 0 };
    const rawHash = new Sha256Stream();
    let source: ByteSource = toSource(this.body);
    let finished = false;
    try {
      const opened = await this.open(source, sizes, rawHash);
      source = opened.text;
      const framer = new Framer({
        logStreamType: this.options.logStreamType,
        maxRecordBytes: this.limits.maxLineBytes,
        headBytes: TOO_LONG_HEAD_BYTES,
      });
      const batcher = new Batcher(this.chunkLimits);
      let skip = opened.bomLength;
      for (let chunk = await source.next(); chunk; chunk = await source.next()) {
        if (skip > 0) [chunk, skip] = [chunk.subarray(skip), 0];
        for (let i = 0; i < chunk.length; i += FRAME_SLICE) {
          framer.push(chunk.subarray(i, i + FRAME_SLICE));
          yield* batcher.take(framer);
        }
      }
      framer.end();
      yield* batcher.take(framer);
      yield* batcher.flush();
      finished = true;
      this.result = {
        ...sizes,
        ...batcher.counts,
        blankLines: framer.blankLines,
        encoding: opened.encoding,
        framing: framer.framing,
        rawSha256: await rawHash.hex(),
      };
    } finally {
      if (!finished) await source.cancel(new Error("decoding stopped"));
    }
  }

  /**
   * The body's text, from its raw bytes: counted and hashed against the body limit, decompressed
   * if it is, counted against the decompressed limit, and checked to look like UTF-8 text.
   */
  private async open(body: ByteSource, sizes: { rawBytes: number; decompressedBytes: number }, rawHash: Sha256Stream) {
    const { limits } = this;
    const raw = new PeekableSource(
      tapSource(body, (chunk) => {
        sizes.rawBytes += chunk.byteLength;
        if (sizes.rawBytes > limits.maxBodyBytes) throw bodyTooLarge(limits.maxBodyBytes);
        rawHash.update(chunk);
      }),
    );
    try {
      const encoding = resolveBodyEncoding(this.options.contentEncoding, await raw.peek(2));
      const inflated = encoding === "identity" ? raw : inflateSource(raw, encoding, limits.maxDecompressedBytes);
      const text = new PeekableSource(
        tapSource(inflated, (chunk) => {
          sizes.decompressedBytes += chunk.byteLength;
          if (sizes.decompressedBytes > limits.maxDecompressedBytes) {
            throw decompressedTooLarge(limits.maxDecompressedBytes);
          }
        }),
      );
      const head = await text.peek(SNIFF_BYTES);
      assertLooksLikeText(head);
      return { encoding, text, bomLength: utf8BomLength(head) };
    } catch (err) {
      await raw.cancel(err);
      throw err;
    }
  }
}

/** Turns framed records into decoded ones and groups them into chunks within the limits. */
class Batcher {
  readonly counts = { records: 0, invalidUtf8Records: 0, tooLongRecords: 0 };
  private batch: DecodedRecord[] = [];
  private batchBytes = 0;

  constructor(private readonly limits: ChunkLimits) {}

  async *take(framer: Framer): AsyncGenerator<DecodedRecord[]> {
    for (const raw of framer.out.splice(0)) {
      const record = await toDecodedRecord(raw, this.counts.records++);
      if (record.invalidUtf8) this.counts.invalidUtf8Records++;
      if (record.tooLong) this.counts.tooLongRecords++;
      this.batch.push(record);
      this.batchBytes += storedBytes(record);
      if (this.batch.length >= this.limits.maxRecords || this.batchBytes >= this.limits.maxTextBytes) {
        yield* this.flush();
      }
    }
  }

  *flush(): Generator<DecodedRecord[]> {
    if (this.batch.length === 0) return;
    const out = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    yield out;
  }
}

function toSource(body: BodyInput): ByteSource {
  if (body === null) return bytesSource(new Uint8Array(0));
  return body instanceof Uint8Array ? bytesSource(body) : streamSource(body);
}

/**
 * Reads a whole body, refusing it (413) as soon as it passes `maxBodyBytes`. For HMAC sources,
 * whose signature covers the raw body, and for a batch digest needed before the first write
 * (row ids without an Idempotency-Key). Memory: at most `maxBodyBytes`.
 */
export async function readRawBody(
  body: ReadableStream<Uint8Array> | null,
  maxBodyBytes: number = DEFAULT_INGEST_LIMITS.maxBodyBytes,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; sha256: string }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  if (body) {
    const source = tapSource(streamSource(body), (chunk) => {
      size += chunk.byteLength;
      if (size > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
    });
    for (let chunk = await source.next(); chunk; chunk = await source.next()) parts.push(chunk);
  }
  const bytes = concatBytes(parts, size);
  return { bytes, sha256: await sha256Hex(bytes) };
}
