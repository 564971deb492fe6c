import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cronMatches, parseCron, readCrons } from "./cron.mjs";

const at = (iso) => new Date(iso);

test("every minute matches any minute", () => {
  assert.ok(cronMatches(parseCron("* * * * *"), at("2026-03-01T17:42:05Z")));
});

test("a daily cron matches only its minute, in UTC", () => {
  const daily = parseCron("30 3 * * *");
  assert.ok(cronMatches(daily, at("2026-03-01T03:30:59Z")));
  assert.ok(!cronMatches(daily, at("2026-03-01T03:31:00Z")));
  assert.ok(!cronMatches(daily, at("2026-03-01T04:30:00Z")));
});

test("steps, ranges and lists", () => {
  assert.deepEqual([...parseCron("*/15 * * * *").minute], [0, 15, 30, 45]);
  assert.deepEqual([...parseCron("1,5-7,10-20/5 * * * *").minute], [1, 5, 6, 7, 10, 15, 20]);
  const weekdays = parseCron("0 9-17 * * 1-5");
  assert.ok(cronMatches(weekdays, at("2026-01-05T09:00:00Z"))); // Monday
  assert.ok(!cronMatches(weekdays, at("2026-01-04T09:00:00Z"))); // Sunday
});

test("7 is Sunday too", () => {
  assert.ok(cronMatches(parseCron("0 0 * * 7"), at("2026-01-04T00:00:00Z")));
});

test("restricted day-of-month and day-of-week match on either", () => {
  const cron = parseCron("0 0 1 * 1");
  assert.ok(cronMatches(cron, at("2026-01-05T00:00:00Z"))); // a Monday, not the 1st
  assert.ok(cronMatches(cron, at("2026-04-01T00:00:00Z"))); // the 1st, a Wednesday
  assert.ok(!cronMatches(cron, at("2026-01-06T00:00:00Z")));
});

test("bad expressions are refused", () => {
  assert.throws(() => parseCron("61 * * * *"), /out of range/);
  assert.throws(() => parseCron("* * * *"), /5 fields/);
  assert.throws(() => parseCron("a * * * *"), /cannot read/);
});

test("reads the crons of wrangler.toml", () => {
  assert.deepEqual(readCrons(join(import.meta.dirname, "..", "wrangler.toml")), ["* * * * *", "30 3 * * *"]);
});
