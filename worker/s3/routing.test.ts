import { describe, expect, it } from "vitest";
import { isFolderKey, listingPrefixes, routeKey, type PrefixRoute } from "./routing";

const routes: PrefixRoute[] = [
  { prefix: "", logTypes: ["Custom.Any"], excludedPrefixes: ["tmp/"] },
  { prefix: "AWSLogs/", logTypes: ["AWS.CloudTrail"], excludedPrefixes: ["AWSLogs/digest/"] },
  { prefix: "AWSLogs/123/elb/", logTypes: ["AWS.ALB"], excludedPrefixes: [] },
];

describe("routeKey", () => {
  it("lets the longest matching prefix decide", () => {
    expect(routeKey(routes, "AWSLogs/123/elb/x.gz")?.logTypes).toEqual(["AWS.ALB"]);
    expect(routeKey(routes, "AWSLogs/123/CloudTrail/x.gz")?.logTypes).toEqual(["AWS.CloudTrail"]);
    expect(routeKey(routes, "other/x.gz")?.logTypes).toEqual(["Custom.Any"]);
  });

  it("skips excluded keys without falling back to a shorter prefix", () => {
    expect(routeKey(routes, "AWSLogs/digest/x.gz")).toBeNull();
    expect(routeKey(routes, "tmp/x")).toBeNull();
  });

  it("answers null when no prefix matches", () => {
    expect(routeKey([{ prefix: "a/", logTypes: ["Custom.A"], excludedPrefixes: [] }], "b/x")).toBeNull();
  });
});

describe("listingPrefixes", () => {
  it("lists each key once: nested prefixes are covered by the shorter one", () => {
    expect(listingPrefixes(routes)).toEqual([""]);
    expect(
      listingPrefixes([
        { prefix: "b/x/", logTypes: [], excludedPrefixes: [] },
        { prefix: "a/", logTypes: [], excludedPrefixes: [] },
        { prefix: "b/", logTypes: [], excludedPrefixes: [] },
        { prefix: "a/", logTypes: [], excludedPrefixes: [] },
      ]),
    ).toEqual(["a/", "b/"]);
  });
});

it("knows folder placeholders", () => {
  expect(isFolderKey("logs/2026/")).toBe(true);
  expect(isFolderKey("logs/2026/a.json")).toBe(false);
});
