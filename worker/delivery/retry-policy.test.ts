import { describe, expect, it } from "vitest";
import { decide, DEFAULT_SCHEDULE, describeOutcome, MAX_DELAY_SECONDS, parseRetryAfter, parseSchedule, type AttemptOutcome } from "./retry-policy";

const http = (statusCode: number, retryAfterSeconds: number | null = null): AttemptOutcome => ({ kind: "answered", statusCode, retryAfterSeconds });
const schedule = parseSchedule("0,5,300,1800,7200,18000,36000,36000");

describe("parseSchedule", () => {
  it("reads seconds before each attempt", () => {
    expect(schedule).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(parseSchedule(" 0, 1 ,2")).toEqual([0, 1, 2]);
  });

  it("falls back to the default schedule rather than to no retries", () => {
    for (const bad of [undefined, "", "  ", "0,five", "0,-1", "0,,5"]) expect(parseSchedule(bad)).toEqual(DEFAULT_SCHEDULE);
  });

  it("caps each delay at 12 hours", () => {
    expect(parseSchedule("0,99999")).toEqual([0, MAX_DELAY_SECONDS]);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2030-01-01T00:00:00Z");
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Tue, 01 Jan 2030 00:10:00 GMT", now)).toBe(600);
    expect(parseRetryAfter("Mon, 31 Dec 2029 23:00:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    for (const v of [null, undefined, "", "soon", "-5", "1.5"]) expect(parseRetryAfter(v, now)).toBeNull();
  });
});

describe("decide", () => {
  it("delivers on any 2xx", () => {
    for (const code of [200, 201, 202, 204]) expect(decide(http(code), 1, schedule)).toEqual({ status: "DELIVERED" });
  });

  it("stops at once on permanent answers", () => {
    for (const code of [400, 401, 403, 404, 410]) expect(decide(http(code), 1, schedule)).toEqual({ status: "FAILED", reason: "permanent" });
  });

  it("retries 429, 5xx, other 4xx, timeouts and network errors on the schedule", () => {
    expect(decide(http(500), 1, schedule)).toEqual({ status: "RETRYING", delaySeconds: 5 });
    expect(decide(http(503), 2, schedule)).toEqual({ status: "RETRYING", delaySeconds: 300 });
    expect(decide(http(429), 3, schedule)).toEqual({ status: "RETRYING", delaySeconds: 1800 });
    expect(decide(http(408), 1, schedule)).toEqual({ status: "RETRYING", delaySeconds: 5 });
    expect(decide({ kind: "timeout" }, 4, schedule)).toEqual({ status: "RETRYING", delaySeconds: 7200 });
    expect(decide({ kind: "network", error: "refused" }, 7, schedule)).toEqual({ status: "RETRYING", delaySeconds: 36000 });
  });

  it("honours a longer Retry-After, up to 12 hours, but never shortens the schedule", () => {
    expect(decide(http(429, 60), 1, schedule)).toEqual({ status: "RETRYING", delaySeconds: 60 });
    expect(decide(http(503, 2), 2, schedule)).toEqual({ status: "RETRYING", delaySeconds: 300 });
    expect(decide(http(429, 86400), 1, schedule)).toEqual({ status: "RETRYING", delaySeconds: MAX_DELAY_SECONDS });
  });

  it("fails once every scheduled attempt has been made", () => {
    expect(decide(http(500), 8, schedule)).toEqual({ status: "FAILED", reason: "exhausted" });
    expect(decide(http(500), 9, schedule)).toEqual({ status: "FAILED", reason: "exhausted" });
    expect(decide(http(500), 1, [0])).toEqual({ status: "FAILED", reason: "exhausted" });
  });
});

describe("describeOutcome", () => {
  it("says what happened", () => {
    expect(describeOutcome(http(502))).toBe("HTTP 502");
    expect(describeOutcome({ kind: "timeout" })).toBe("No answer within 15 s");
    expect(describeOutcome({ kind: "timeout" }, 200)).toBe("No answer within 200 ms");
    expect(describeOutcome({ kind: "network", error: "connection refused" })).toBe("Could not connect: connection refused");
  });
});
