import { ApiError } from "../errors";
import type { ByteSource } from "./byte-source";
import { unsupported, type BodyEncoding } from "./content-encoding";
import { decompressedTooLarge } from "./limits";

// workerd's DecompressionStream inflates each write completely into its own buffer as soon as it
// is written, and accepts writes whether or not its output is read. Piping a body into it would
// let a few KB of gzip become gigabytes in memory before a byte reached our counter. So input is
// fed in small writes, and at most FEED_BUDGET bytes of it between two moments where the output
// is known to be drained: deflate expands at most ~1032x, so at most ~8 MiB waits unread.
const FEED_SLICE = 4 * 1024;
export const FEED_BUDGET = 8 * 1024;

const IDLE = Symbol("idle");

/**
 * Settles like `p`, or with IDLE if `p` is still pending after a timer turn. A read of output the
 * codec already holds settles well within one turn, so IDLE means its buffer is empty.
 */
function settledOrIdle<T>(p: Promise<T>): Promise<T | typeof IDLE> {
  let timer = 0;
  const idle = new Promise<typeof IDLE>((resolve) => {
    timer = setTimeout(() => resolve(IDLE), 0);
  });
  return Promise.race([p, idle]).finally(() => clearTimeout(timer));
}

/**
 * Decompresses `source` as a stream, counting output bytes and stopping with a 413 as soon as
 * they pass `maxBytes`; a compression bomb never exists in memory beyond the feed budget.
 * Corrupt, truncated or trailing data is a 415 (DecompressionStream checks gzip's CRC and size).
 */
export function inflateSource(
  source: ByteSource,
  format: Exclude<BodyEncoding, "identity">,
  maxBytes: number,
): ByteSource {
  return new Inflater(source, format, maxBytes);
}

class Inflater implements ByteSource {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  private input: Uint8Array = new Uint8Array(0);
  private inputDone = false;
  private fedSinceIdle = 0;
  private total = 0;
  private closed = false;

  constructor(
    private readonly source: ByteSource,
    private readonly format: Exclude<BodyEncoding, "identity">,
    private readonly maxBytes: number,
  ) {
    const stream = new DecompressionStream(format);
    this.writer = stream.writable.getWriter();
    this.reader = stream.readable.getReader();
  }

  async next(): Promise<Uint8Array | null> {
    try {
      for (;;) {
        const read = (this.pending ??= this.startRead());
        if (!this.inputDone && this.fedSinceIdle < FEED_BUDGET) {
          await this.feed();
          continue;
        }
        const r = this.inputDone ? await read : await settledOrIdle(read);
        if (r === IDLE) {
          this.fedSinceIdle = 0;
          continue;
        }
        this.pending = null;
        if (r.done) return null;
        this.total += r.value.byteLength;
        if (this.total > this.maxBytes) throw decompressedTooLarge(this.maxBytes);
        return r.value;
      }
    } catch (err) {
      // The source's own errors (the raw body limit) and ours pass through; the rest is bad data.
      const failure =
        err instanceof ApiError
          ? err
          : unsupported(
              `the body is not valid ${this.format === "gzip" ? "gzip" : "deflate"}: ${err instanceof Error ? err.message : String(err)}`,
            );
      await this.cancel(failure);
      throw failure;
    }
  }

  async cancel(reason?: unknown): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.reader.cancel(reason).catch(() => {});
    await this.writer.abort(reason).catch(() => {});
    await this.source.cancel(reason);
  }

  private startRead(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const read = this.reader.read();
    read.catch(() => {}); // awaited later; mark handled so an early rejection is not reported
    return read;
  }

  /** Writes one slice of input, or closes the codec at the end. Errors surface through reads. */
  private async feed(): Promise<void> {
    if (this.input.length === 0) {
      const chunk = await this.source.next();
      if (!chunk) {
        this.inputDone = true;
        this.writer.close().catch(() => {});
        return;
      }
      this.input = chunk;
    }
    const slice = this.input.subarray(0, FEED_SLICE);
    this.input = this.input.subarray(slice.length);
    this.fedSinceIdle += slice.length;
    this.writer.write(slice).catch(() => {});
  }
}
