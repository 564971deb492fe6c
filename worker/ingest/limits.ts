import { ApiError, ErrorCode } from "../errors";

/** Size limits of one ingest request. All sizes are in bytes. */
export interface IngestLimits {
  /** The request body as sent (compressed or not). */
  maxBodyBytes: number;
  /** The body after decompression; stops decompression bombs. */
  maxDecompressedBytes: number;
  /** One record; a longer one is kept as its first 64 KiB, length and SHA-256. */
  maxLineBytes: number;
}

// API.md "Ingest": 10 MB body, 64 MB decompressed, 1 MB per line. A line stays under D1's 2 MB
// per value, and a whole batch stays well inside a Worker's 128 MB of memory because it streams.
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
  maxLineBytes: 1024 * 1024,
};

/** What a too-long record keeps of itself. */
export const TOO_LONG_HEAD_BYTES = 64 * 1024;

export interface IngestLimitVars {
  INGEST_MAX_BODY_BYTES?: string;
  INGEST_MAX_DECOMPRESSED_BYTES?: string;
  INGEST_MAX_LINE_BYTES?: string;
}

/** Limits from the Worker's vars; a missing or unparsable value keeps its default. */
export function ingestLimitsFromEnv(vars: IngestLimitVars): IngestLimits {
  const pick = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value && Number.isSafeInteger(n) && n > 0 ? n : fallback;
  };
  return {
    maxBodyBytes: pick(vars.INGEST_MAX_BODY_BYTES, DEFAULT_INGEST_LIMITS.maxBodyBytes),
    maxDecompressedBytes: pick(vars.INGEST_MAX_DECOMPRESSED_BYTES, DEFAULT_INGEST_LIMITS.maxDecompressedBytes),
    maxLineBytes: pick(vars.INGEST_MAX_LINE_BYTES, DEFAULT_INGEST_LIMITS.maxLineBytes),
  };
}

/** "10 MiB (10485760 bytes)", so a shipper's operator can size batches from the message. */
export function describeBytes(n: number): string {
  const units: [number, string][] = [
    [1024 * 1024, "MiB"],
    [1024, "KiB"],
  ];
  for (const [size, unit] of units) {
    if (n >= size) return `${+(n / size).toFixed(2)} ${unit} (${n} bytes)`;
  }
  return `${n} bytes`;
}

export const bodyTooLarge = (limit: number) =>
  new ApiError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `the request body exceeds the body size limit of ${describeBytes(limit)}; send smaller batches`,
  );

export const decompressedTooLarge = (limit: number) =>
  new ApiError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `the decompressed body exceeds the decompressed size limit of ${describeBytes(limit)}; send smaller batches`,
  );

/** Refuses a declared Content-Length over the body limit before a byte is read. */
export function assertContentLength(contentLength: string | null, limits: Pick<IngestLimits, "maxBodyBytes">): void {
  if (contentLength === null) return;
  const n = Number(contentLength);
  if (Number.isFinite(n) && n > limits.maxBodyBytes) throw bodyTooLarge(limits.maxBodyBytes);
}
