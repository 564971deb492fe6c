import { describe, expect, it } from "vitest";
import { deadline, onAlarm, onEvents, reconfigure, type DropOffState } from "./drop-off";

const M = 60_000;
const base: DropOffState = { minutes: 15, enabled: true, state: "INSUFFICIENT_DATA", lastEventAt: null, armedFrom: 0 };

describe("drop-off alarm", () => {
  it("has no deadline before the first event, nor when paused or disabled", () => {
    expect(deadline(base)).toBeNull();
    const ok = onEvents(base, 1000).next;
    expect(deadline(ok)).toBe(1000 + 15 * M);
    expect(deadline({ ...ok, enabled: false })).toBeNull();
    expect(deadline({ ...ok, minutes: null })).toBeNull();
  });

  it("raises once when the deadline passes, then stays quiet until data arrives", () => {
    const ok = onEvents(base, 0).next;
    const early = onAlarm(ok, 10 * M);
    expect(early).toEqual({ next: ok, raise: false, rearmAt: 15 * M });
    const fired = onAlarm(ok, 15 * M);
    expect(fired.raise).toBe(true);
    expect(fired.next.state).toBe("ALARM");
    expect(fired.rearmAt).toBeNull();
    expect(onAlarm(fired.next, 60 * M)).toEqual({ next: fired.next, raise: false, rearmAt: null });
    const back = onEvents(fired.next, 61 * M);
    expect(back.recovered).toBe(true);
    expect(back.next.state).toBe("OK");
    expect(deadline(back.next)).toBe(76 * M);
  });

  it("re-arms for the real deadline when data arrived after the alarm was set", () => {
    const ok = onEvents(onEvents(base, 0).next, 12 * M).next;
    expect(onAlarm(ok, 15 * M)).toMatchObject({ raise: false, rearmAt: 27 * M });
  });

  it("counts silence from a resume or a new threshold at the earliest", () => {
    const ok = onEvents(base, 0).next;
    const paused = reconfigure(ok, { minutes: 15, enabled: false }, 5 * M);
    expect(deadline(paused)).toBeNull();
    const resumed = reconfigure(paused, { minutes: 15, enabled: true }, 100 * M);
    expect(deadline(resumed)).toBe(115 * M);
    const alarmed = { ...ok, state: "ALARM" as const };
    expect(reconfigure(alarmed, { minutes: null, enabled: true }, 1).state).toBe("OK");
    expect(reconfigure(alarmed, { minutes: 60, enabled: true }, 30 * M)).toMatchObject({ state: "OK", armedFrom: 30 * M });
    expect(reconfigure(alarmed, { minutes: 15, enabled: true }, 30 * M).state).toBe("ALARM");
  });
});
