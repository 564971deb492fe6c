import { describe, expect, it } from "vitest";
import { evaluateHttpHealth } from "./health";
import type { HealthSnapshot } from "./source-monitor";

const now = new Date("2026-11-29T12:00:00Z");
const snap = (over: Partial<HealthSnapshot> = {}): HealthSnapshot => ({
  lastEventReceivedAt: null,
  lastEventProcessedAt: null,
  alarm: { state: "INSUFFICIENT_DATA", minutesThreshold: 1440, enabled: true },
  refused15m: 0,
  accepted15m: 0,
  events1h: 0,
  failures1h: 0,
  ...over,
});
const byName = (s: HealthSnapshot) => Object.fromEntries(evaluateHttpHealth(s, now).map((c) => [c.name, c]));

describe("HTTP source health", () => {
  it("is healthy with no data yet, and says so", () => {
    const checks = byName(snap());
    expect(Object.values(checks).every((c) => c.healthy)).toBe(true);
    expect(checks.dataArriving.message).toMatch(/No data has arrived yet/);
  });

  it("turns dataArriving unhealthy in ALARM", () => {
    const checks = byName(snap({ alarm: { state: "ALARM", minutesThreshold: 90, enabled: true }, lastEventProcessedAt: "2026-11-29T09:00:00.000Z" }));
    expect(checks.dataArriving.healthy).toBe(false);
    expect(checks.dataArriving.message).toMatch(/1 hour 30 minutes/);
  });

  it("turns credentials unhealthy at 5 refused requests with none accepted", () => {
    expect(byName(snap({ refused15m: 4 })).credentials.healthy).toBe(true);
    const bad = byName(snap({ refused15m: 5 })).credentials;
    expect(bad.healthy).toBe(false);
    expect(bad.rawErrorMessage).toBe("401 Unauthorized x5");
    expect(byName(snap({ refused15m: 50, accepted15m: 1 })).credentials.healthy).toBe(true);
  });

  it("turns classification unhealthy over 10% of at least 10 lines", () => {
    expect(byName(snap({ events1h: 8, failures1h: 1 })).classification.healthy).toBe(true);
    expect(byName(snap({ events1h: 5, failures1h: 4 })).classification.healthy).toBe(true);
    expect(byName(snap({ events1h: 6, failures1h: 4 })).classification.healthy).toBe(false);
    expect(byName(snap({ events1h: 90, failures1h: 10 })).classification.healthy).toBe(true);
    expect(byName(snap({ events1h: 89, failures1h: 11 })).classification.healthy).toBe(false);
  });
});
