import { ApiError, ErrorCode } from "../errors";

/** How the body is compressed; the formats DecompressionStream offers in workerd. */
export type BodyEncoding = "identity" | "gzip" | "deflate" | "deflate-raw";

export const unsupported = (message: string) => new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message);

const isGzip = (head: Uint8Array) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

/** RFC 1950: CM = 8 in the low nibble, and the first two bytes as a big-endian number are a multiple of 31. */
const isZlib = (head: Uint8Array) => head.length >= 2 && (head[0] & 0x0f) === 8 && ((head[0] << 8) | head[1]) % 31 === 0;

/**
 * Decides how to decompress a body from its Content-Encoding and its first bytes. The gzip magic
 * bytes win whatever the header says (shippers and proxies get the header wrong); a header that
 * claims gzip on a body without them, or names a coding we cannot decode, is a 415.
 */
export function resolveBodyEncoding(contentEncoding: string | null | undefined, head: Uint8Array): BodyEncoding {
  if (head.length === 0) return "identity";
  if (isGzip(head)) return "gzip";
  const codings = (contentEncoding ?? "")
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity");
  if (codings.length === 0) return "identity";
  const named = codings.join(", ").slice(0, 64);
  if (codings.length > 1) {
    throw unsupported(`Content-Encoding '${named}' stacks several codings; send one of gzip or deflate`);
  }
  switch (codings[0]) {
    case "gzip":
    case "x-gzip":
      throw unsupported(
        "the body is not valid gzip: Content-Encoding is gzip but the body does not start with the gzip magic bytes 1f 8b",
      );
    case "deflate":
      // Some clients send raw deflate under this name; a zlib header tells them apart.
      return isZlib(head) ? "deflate" : "deflate-raw";
    default:
      throw unsupported(
        `Content-Encoding '${named}' is not supported; send the body uncompressed, gzip or deflate`,
      );
  }
}
