import { describe, expect, it } from "vitest";
import { dedupKey, describeMinutes } from "./policy";

describe("alert policy", () => {
  it("deduplicates per type and component", () => {
    expect(dedupKey("SOURCE_NO_DATA", "a")).not.toBe(dedupKey("SOURCE_NO_DATA", "b"));
    expect(dedupKey("SOURCE_NO_DATA", "a")).not.toBe(dedupKey("SOURCE_CLASSIFICATION_FAILURES", "a"));
  });

  it.each([
    [15, "15 minutes"],
    [60, "1 hour"],
    [90, "1 hour 30 minutes"],
    [1440, "24 hours"],
    [2880, "2 days"],
    [43200, "30 days"],
    [1, "1 minute"],
  ])("describes %i minutes as %s", (minutes, text) => {
    expect(describeMinutes(minutes)).toBe(text);
  });
});
