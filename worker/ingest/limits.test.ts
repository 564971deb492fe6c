import { describe, expect, it } from "vitest";
import { DEFAULT_INGEST_LIMITS, assertContentLength, describeBytes, ingestLimitsFromEnv } from "./limits";

describe("ingest limits", () => {
  it("reads the Worker's vars, keeping defaults for missing or bad values", () => {
    expect(ingestLimitsFromEnv({})).toEqual(DEFAULT_INGEST_LIMITS);
    expect(
      ingestLimitsFromEnv({ INGEST_MAX_BODY_BYTES: "1000", INGEST_MAX_DECOMPRESSED_BYTES: "abc", INGEST_MAX_LINE_BYTES: "-5" }),
    ).toEqual({ ...DEFAULT_INGEST_LIMITS, maxBodyBytes: 1000 });
  });

  it("refuses a declared Content-Length over the body limit before reading", () => {
    expect(() => assertContentLength("10485761", DEFAULT_INGEST_LIMITS)).toThrow(/body size limit of 10 MiB \(10485760 bytes\)/);
    expect(() => assertContentLength("10485760", DEFAULT_INGEST_LIMITS)).not.toThrow();
    expect(() => assertContentLength(null, DEFAULT_INGEST_LIMITS)).not.toThrow();
  });

  it("describes sizes for people", () => {
    expect(describeBytes(67108864)).toBe("64 MiB (67108864 bytes)");
    expect(describeBytes(1536)).toBe("1.5 KiB (1536 bytes)");
    expect(describeBytes(100)).toBe("100 bytes");
  });
});
