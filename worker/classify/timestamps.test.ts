import { describe, expect, it } from "vitest";
import { compileTimeFormat, NEEDS_SOURCE } from "./timestamps";

// Samples come from each format's public definition: RFC 3339 section 5.8, Go's time package
// reference layouts (Mon Jan 2 15:04:05 MST 2006), and POSIX/Python strftime directives.

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const now = () => NOW;

function parse(format: string, value: string | number) {
  const compiled = compileTimeFormat(format);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.parse(value, now);
}

describe("rfc3339", () => {
  it.each([
    ["1985-04-12T23:20:50.52Z", "1985-04-12T23:20:50.520Z"],
    ["1996-12-19T16:39:57-08:00", "1996-12-20T00:39:57.000Z"],
    ["1937-01-01T12:00:27.87+00:20", "1937-01-01T11:40:27.870Z"],
    ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z"],
    ["2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05.123Z"],
    ["2024-01-02t03:04:05.5z", "2024-01-02T03:04:05.500Z"],
    ["2024-02-29T23:59:59.999+05:30", "2024-02-29T18:29:59.999Z"],
    ["2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00.000Z"],
  ])("%s → %s", (input, stored) => {
    expect(parse("rfc3339", input)).toBe(stored);
  });

  it("hands back a value already in the stored form unchanged", () => {
    const s = "2024-01-02T03:04:05.678Z";
    expect(parse("rfc3339", s)).toBe(s);
  });

  it.each([
    "1990-12-31T23:59:60Z", // leap second: Go refuses it, and so do we
    "2023-02-29T00:00:00Z",
    "2024-13-01T00:00:00Z",
    "2024-01-01 00:00:00Z",
    "2024-01-01T00:00:00",
    "2024-01-01T00:00:00.Z",
    "2024-01-01T00:00:00+0100",
    "2024-01-01T24:00:00Z",
    "2024-01-01T00:00:00Z trailing",
    "20240101T000000Z",
    "",
  ])("refuses %j", (input) => {
    expect(parse("rfc3339", input)).toBeUndefined();
  });

  it("refuses numbers", () => {
    expect(parse("rfc3339", 1700000000)).toBeUndefined();
  });
});

describe("unix formats", () => {
  it("unix: seconds, fractional, as number or string", () => {
    expect(parse("unix", 1700000000)).toBe("2023-11-14T22:13:20.000Z");
    expect(parse("unix", 1700000000.123456)).toBe("2023-11-14T22:13:20.123Z");
    expect(parse("unix", "1700000000.5")).toBe("2023-11-14T22:13:20.500Z");
    expect(parse("unix", "-1.5")).toBe("1969-12-31T23:59:58.500Z");
    expect(parse("unix", "17e8")).toBe("2023-11-14T22:13:20.000Z");
    expect(parse("unix", "soon")).toBeUndefined();
  });

  it("unix_ms, unix_us, unix_ns: integers, as numbers or strings", () => {
    expect(parse("unix_ms", 1700000000123)).toBe("2023-11-14T22:13:20.123Z");
    expect(parse("unix_ms", "1700000000123")).toBe("2023-11-14T22:13:20.123Z");
    expect(parse("unix_us", 1700000000123456)).toBe("2023-11-14T22:13:20.123Z");
    expect(parse("unix_us", "1700000000123456")).toBe("2023-11-14T22:13:20.123Z");
    expect(parse("unix_ns", "1700000000123456789")).toBe("2023-11-14T22:13:20.123Z");
    expect(parse("unix_ms", "-1")).toBe("1969-12-31T23:59:59.999Z");
    expect(parse("unix_ms", 1.5)).toBeUndefined();
    expect(parse("unix_ms", "12.5")).toBeUndefined();
  });

  it("unix_ns numbers beyond 2^53: exact when rounding cannot cross a millisecond, else asks for the text", () => {
    // 1700000000123456789 rounds to 1700000000123456768: the millisecond is certain.
    expect(parse("unix_ns", 1700000000123456789)).toBe("2023-11-14T22:13:20.123Z");
    // 1700000000999999999 rounds to 1700000001000000000: the rounding crossed a millisecond.
    expect(parse("unix_ns", 1700000000999999999)).toBe(NEEDS_SOURCE);
    expect(parse("unix_ns", "1700000000999999999")).toBe("2023-11-14T22:13:20.999Z");
  });

  it("refuses instants outside years 0000–9999", () => {
    expect(parse("unix", 1e12)).toBeUndefined();
    expect(parse("unix_ms", -62167219200001)).toBeUndefined();
    expect(parse("unix_ms", -62167219200000)).toBe("0000-01-01T00:00:00.000Z");
  });
});

describe("cloudflare", () => {
  it("takes rfc3339, unix seconds and unix nanoseconds (Logpush's timestamp formats)", () => {
    expect(parse("cloudflare", "2024-01-02T03:04:05Z")).toBe("2024-01-02T03:04:05.000Z");
    expect(parse("cloudflare", 1700000000)).toBe("2023-11-14T22:13:20.000Z");
    expect(parse("cloudflare", "1700000000")).toBe("2023-11-14T22:13:20.000Z");
    expect(parse("cloudflare", "1700000000123456789")).toBe("2023-11-14T22:13:20.123Z");
    expect(parse("cloudflare", 1700000000123456789)).toBe("2023-11-14T22:13:20.123Z");
  });

  it("reads milli- and microseconds by their size", () => {
    expect(parse("cloudflare", 1700000000123)).toBe("2023-11-14T22:13:20.123Z");
    expect(parse("cloudflare", 1700000000123456)).toBe("2023-11-14T22:13:20.123Z");
  });

  it("refuses other text", () => {
    expect(parse("cloudflare", "yesterday")).toBeUndefined();
  });
});

describe("strftime", () => {
  it.each([
    ["%Y-%m-%d %H:%M:%S", "2020-09-14 14:29:21", "2020-09-14T14:29:21.000Z"],
    ["%Y-%m-%d %H:%M:%S", "2020-09-14 14:29:21.123456", "2020-09-14T14:29:21.123Z"],
    ["%Y-%m-%dT%H:%M:%S.%f%z", "2020-01-01T00:00:00.5+05:30", "2019-12-31T18:30:00.500Z"],
    ["%d/%b/%Y:%H:%M:%S %z", "10/Oct/2000:13:55:36 -0700", "2000-10-10T20:55:36.000Z"],
    ["%a, %d %b %Y %H:%M:%S %Z", "Mon, 02 Jan 2006 15:04:05 UTC", "2006-01-02T15:04:05.000Z"],
    ["%a, %d %b %Y %H:%M:%S %Z", "Mon, 02 Jan 2006 15:04:05 EST", "2006-01-02T20:04:05.000Z"],
    ["%A %B %d %Y", "Monday January 02 2006", "2006-01-02T00:00:00.000Z"],
    ["%m/%d/%y %I:%M %p", "01/02/06 03:04 PM", "2006-01-02T15:04:00.000Z"],
    ["%m/%d/%y %I:%M %p", "01/02/06 12:04 AM", "2006-01-02T00:04:00.000Z"],
    ["%F %T", "2006-01-02 15:04:05", "2006-01-02T15:04:05.000Z"],
    ["%D %R", "01/02/06 15:04", "2006-01-02T15:04:00.000Z"],
    ["%Y%m%d%H%M%S", "20060102150405", "2006-01-02T15:04:05.000Z"],
    ["%Y-%j", "2024-060", "2024-02-29T00:00:00.000Z"],
    ["%s", "1136214245", "2006-01-02T15:04:05.000Z"],
    ["%s.%L", "1136214245.250", "2006-01-02T15:04:05.250Z"],
    ["%Y-%m-%d %H:%M:%S,%f", "2006-01-02 15:04:05,042", "2006-01-02T15:04:05.042Z"],
    ["%e %b %Y", " 2 Jan 2006", "2006-01-02T00:00:00.000Z"],
    ["%Y-%m-%dT%H:%M:%SZ", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05.000Z"],
    ["%Y-%m-%d %H:%M:%S %z", "2006-01-02 15:04:05 Z", "2006-01-02T15:04:05.000Z"],
    ["%Y-%m-%d %H:%M:%S%%", "2006-01-02 15:04:05%", "2006-01-02T15:04:05.000Z"],
    ["%C%y-%m-%d", "2006-01-02", "2006-01-02T00:00:00.000Z"],
  ])("%s reads %j", (format, input, stored) => {
    expect(parse(format, input)).toBe(stored);
  });

  it("a space matches any run of whitespace, as in strptime", () => {
    expect(parse("%b %d %H:%M:%S", "Jun  3 10:00:00")).toBe("2024-06-03T10:00:00.000Z");
  });

  it("a format without a year takes this year, or last year when that would be more than a month ahead", () => {
    expect(parse("%b %d %H:%M:%S", "Jun 15 11:00:00")).toBe("2024-06-15T11:00:00.000Z");
    expect(parse("%b %d %H:%M:%S", "Jul 10 00:00:00")).toBe("2024-07-10T00:00:00.000Z");
    expect(parse("%b %d %H:%M:%S", "Dec 31 23:59:59")).toBe("2023-12-31T23:59:59.000Z");
  });

  it.each([
    ["%Y-%m-%d", "2006-1-2x"],
    ["%Y-%m-%d", "06-01-02"],
    ["%Y-%m-%d", "2006-02-30"],
    ["%H:%M", "24:00"],
    ["%I:%M %p", "13:00 PM"],
    ["%Z", "XYZ"],
    ["%d/%b/%Y", "10/Foo/2000"],
    ["%Y-%m-%d", ""],
  ])("%s refuses %j", (format, input) => {
    expect(parse(format, input)).toBeUndefined();
  });

  it("refuses numbers (a strftime pattern reads text)", () => {
    expect(parse("%s", 1136214245)).toBeUndefined();
  });
});

describe("Go layouts", () => {
  it.each([
    ["layout=2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05+07:00", "2006-01-02T08:04:05.000Z"],
    ["layout=2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05.000Z"],
    ["layout=2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.123456789-01:00", "2006-01-02T16:04:05.123Z"],
    ["layout=2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05.000Z"],
    ["layout=Mon Jan _2 15:04:05 2006", "Mon Jan  2 15:04:05 2006", "2006-01-02T15:04:05.000Z"],
    ["layout=Mon Jan _2 15:04:05 MST 2006", "Mon Jan  2 15:04:05 PST 2006", "2006-01-02T23:04:05.000Z"],
    ["layout=02 Jan 06 15:04 -0700", "02 Jan 06 15:04 -0700", "2006-01-02T22:04:00.000Z"],
    ["layout=Monday, 02-Jan-06 15:04:05 MST", "Monday, 02-Jan-06 15:04:05 UTC", "2006-01-02T15:04:05.000Z"],
    ["layout=Mon, 02 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 +0100", "2006-01-02T14:04:05.000Z"],
    ["layout=3:04PM", "3:04PM", "2024-01-01T15:04:00.000Z"],
    ["layout=Jan _2 15:04:05.000", "Jan  2 15:04:05.123", "2024-01-02T15:04:05.123Z"],
    ["layout=Jan _2 15:04:05.000000", "Feb 12 15:04:05.123456", "2024-02-12T15:04:05.123Z"],
    ["layout=2006-01-02 15:04:05", "2006-01-02 15:04:05.987654", "2006-01-02T15:04:05.987Z"],
    ["layout=2006-01-02 15:04:05,000", "2006-01-02 15:04:05,987", "2006-01-02T15:04:05.987Z"],
    ["layout=02/Jan/2006:15:04:05 -0700", "10/Oct/2000:13:55:36 -0700", "2000-10-10T20:55:36.000Z"],
    ["layout=2006-002", "2024-060", "2024-02-29T00:00:00.000Z"],
    ["layout=1/2/2006 3:04:05 pm", "12/31/2023 11:59:59 pm", "2023-12-31T23:59:59.000Z"],
    ["layout=20060102150405", "20231231235959", "2023-12-31T23:59:59.000Z"],
  ])("%s reads %j", (format, input, stored) => {
    expect(parse(format, input)).toBe(stored);
  });

  it.each([
    ["layout=2006-01-02", "2006-1-02"], // 01 needs two digits
    ["layout=2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05+0700"],
    ["layout=2006-01-02 15:04:05.000", "2006-01-02 15:04:05.12"],
    ["layout=Jan _2", "Foo  2"],
    ["layout=2006-01-02", "2006-01-02 extra"],
  ])("%s refuses %j", (format, input) => {
    expect(parse(format, input)).toBeUndefined();
  });
});

describe("compileTimeFormat", () => {
  it.each([
    ["iso8601", /unknown time format "iso8601"/],
    ["%Y-%Q", /unknown strftime directive %Q/],
    ["%Y-%", /cannot end with %/],
    ["layout=hello", /no date or time element/],
  ])("refuses %s", (format, message) => {
    const compiled = compileTimeFormat(format);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.error).toMatch(message);
  });
});
