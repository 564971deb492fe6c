import { describe, expect, it } from "vitest";
import { routeAlert, type RoutableDestination } from "./routing";

const dest = (id: string, alertTypes: string[], defaultForSeverity: string[], sendResolved = false): RoutableDestination => ({
  id,
  alertTypes,
  defaultForSeverity,
  sendResolved,
});

const all = [
  dest("sys-low-only", ["SYSTEM_ERROR"], ["LOW"], true),
  dest("rules-critical", ["RULE"], ["CRITICAL", "HIGH"]),
  dest("everything", [], ["HIGH"]),
  dest("rules-low", ["RULE", "POLICY"], ["LOW"], true),
];

describe("routeAlert", () => {
  it("sends System Errors to every SYSTEM_ERROR destination whatever its severity filter", () => {
    expect(routeAlert({ type: "SYSTEM_ERROR", severity: "CRITICAL" }, all, { kind: "ALERT" })).toEqual(["sys-low-only", "everything"]);
  });

  it("routes other alerts by type and severity", () => {
    expect(routeAlert({ type: "RULE", severity: "HIGH" }, all, { kind: "ALERT" })).toEqual(["rules-critical", "everything"]);
    expect(routeAlert({ type: "RULE", severity: "LOW" }, all, { kind: "ALERT" })).toEqual(["rules-low"]);
    expect(routeAlert({ type: "POLICY", severity: "MEDIUM" }, all, { kind: "ALERT" })).toEqual([]);
  });

  it("never routes to excluded destinations, and resolutions only where sendResolved", () => {
    expect(routeAlert({ type: "SYSTEM_ERROR", severity: "CRITICAL" }, all, { kind: "ALERT", exclude: ["everything"] })).toEqual(["sys-low-only"]);
    expect(routeAlert({ type: "SYSTEM_ERROR", severity: "CRITICAL" }, all, { kind: "RESOLVED" })).toEqual(["sys-low-only"]);
  });
});
