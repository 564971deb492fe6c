import { describe, expect, it } from "vitest";
import { bucketSeries } from "./metrics";

const t0 = Date.parse("2026-11-29T10:00:00Z");
const min = (n: number) => t0 + n * 60_000;

describe("bucketSeries", () => {
  it("folds minutes into intervals, with empty intervals present and totals from the * rows", () => {
    const result = bucketSeries(
      [
        { minute: min(0), logType: "*", events: 3, failures: 1, bytes: 300 },
        { minute: min(0), logType: "A.B", events: 3, failures: 1, bytes: 0 },
        { minute: min(14), logType: "*", events: 2, failures: 0, bytes: 200 },
        { minute: min(14), logType: "A.C", events: 2, failures: 0, bytes: 0 },
        { minute: min(31), logType: "*", events: 5, failures: 2, bytes: 50 },
        { minute: min(31), logType: "A.B", events: 5, failures: 2, bytes: 0 },
      ],
      { from: t0, to: min(45), intervalMinutes: 15 },
    );
    expect(result.totals).toEqual({ eventsProcessed: 10, bytesProcessed: 550, classificationFailures: 3 });
    expect(result.series.map((p) => p.time)).toEqual(["2026-11-29T10:00:00.000Z", "2026-11-29T10:15:00.000Z", "2026-11-29T10:30:00.000Z"]);
    expect(result.series[0]).toEqual({
      time: "2026-11-29T10:00:00.000Z",
      eventsProcessed: 5,
      bytesProcessed: 500,
      classificationFailures: 1,
      byLogType: { "A.B": { eventsProcessed: 3, classificationFailures: 1 }, "A.C": { eventsProcessed: 2, classificationFailures: 0 } },
    });
    expect(result.series[1]).toMatchObject({ eventsProcessed: 0, byLogType: {} });
  });

  it("ignores rows outside the window", () => {
    const result = bucketSeries([{ minute: min(-5), logType: "*", events: 9, failures: 0, bytes: 1 }], { from: t0, to: min(60), intervalMinutes: 60 });
    expect(result.totals.eventsProcessed).toBe(0);
  });
});
