import { describe, expect, it } from "vitest";
import { noteRefusal } from "./refusals";

describe("noteRefusal", () => {
  it("flushes the first refusal, then at most once a minute with everything counted meanwhile", () => {
    const t = 1_000_000_000;
    expect(noteRefusal("src-r", t)).toBe(1);
    expect(noteRefusal("src-r", t + 1_000)).toBe(0);
    expect(noteRefusal("src-r", t + 30_000)).toBe(0);
    expect(noteRefusal("src-r", t + 60_000)).toBe(3);
    expect(noteRefusal("src-other", t + 60_001)).toBe(1);
  });
});
