/**
 * A pull-based source of byte chunks: the request body, or a stage over another source
 * (counting, decompressing). Pulling keeps memory bounded: nothing is read ahead of the consumer.
 */
export interface ByteSource {
  /** The next non-empty chunk, or null at the end. */
  next(): Promise<Uint8Array | null>;
  /** Stops early and releases what is underneath (e.g. cancels the request body). */
  cancel(reason?: unknown): Promise<void>;
}

export function streamSource(stream: ReadableStream<Uint8Array>): ByteSource {
  const reader = stream.getReader();
  let done = false;
  return {
    async next() {
      while (!done) {
        const r = await reader.read();
        if (r.done) done = true;
        else if (r.value.byteLength > 0) return r.value;
      }
      return null;
    },
    async cancel(reason) {
      if (done) return;
      done = true;
      await reader.cancel(reason).catch(() => {});
    },
  };
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  let left: Uint8Array | null = bytes.byteLength > 0 ? bytes : null;
  return {
    async next() {
      const out = left;
      left = null;
      return out;
    },
    async cancel() {
      left = null;
    },
  };
}

/** Calls `onChunk` with every chunk as it passes; `onChunk` may throw to stop the stream. */
export function tapSource(source: ByteSource, onChunk: (chunk: Uint8Array) => void): ByteSource {
  return {
    async next() {
      const chunk = await source.next();
      if (chunk) {
        try {
          onChunk(chunk);
        } catch (err) {
          await source.cancel(err);
          throw err;
        }
      }
      return chunk;
    },
    cancel: (reason) => source.cancel(reason),
  };
}

/** A source whose first bytes can be looked at before they are consumed. */
export class PeekableSource implements ByteSource {
  private head: Uint8Array | null = null;

  constructor(private readonly source: ByteSource) {}

  /**
   * At least the first `n` bytes (fewer only if the body is shorter), as one array that `next`
   * then returns first. Call before the first `next`.
   */
  async peek(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let size = 0;
    while (size < n) {
      const chunk = await this.source.next();
      if (!chunk) break;
      parts.push(chunk);
      size += chunk.byteLength;
    }
    this.head = parts.length === 1 ? parts[0] : concatBytes(parts, size);
    return this.head;
  }

  async next(): Promise<Uint8Array | null> {
    const head = this.head;
    this.head = null;
    if (head && head.byteLength > 0) return head;
    return this.source.next();
  }

  cancel(reason?: unknown): Promise<void> {
    this.head = null;
    return this.source.cancel(reason);
  }
}

export function concatBytes(parts: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
