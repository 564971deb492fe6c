import type { BodyEncoding } from "./decode";
import { bytesSource } from "./byte-source";
import { inflateSource } from "./inflate";

/**
 * A first pass over a compressed body, before anything is stored: it must decompress whole
 * (the gzip checksum sits at its end) and stay under the decompressed cap. So a corrupt body or
 * a compression bomb is refused (415/413) without a line of it written; the second pass, which
 * stores, then cannot fail on the body itself. Nothing is kept: memory stays at one slice.
 */
export async function verifyCompressed(bytes: Uint8Array, encoding: BodyEncoding, maxDecompressedBytes: number): Promise<number> {
  if (encoding === "identity") return bytes.byteLength;
  const inflated = inflateSource(bytesSource(bytes), encoding, maxDecompressedBytes);
  let total = 0;
  for (let chunk = await inflated.next(); chunk; chunk = await inflated.next()) total += chunk.byteLength;
  return total;
}
