import { isCIDROf, isIPOf } from "./ip";
import type { ValidateSpec } from "./spec-types";
import { describeValue } from "./describe";

// `validate` rules of a string field. A rule that rejects a value fails the line for this schema
// (it is how users tell apart log types that share field names), so the reason must be readable.

/** Undefined when the value passes, else why it does not. */
export type StringCheck = (value: string) => string | undefined;

/**
 * Membership in a list of values. Short lists are scanned (strings of other lengths are told
 * apart at once), which beats hashing each value freshly parsed from JSON; long ones use a Set.
 */
function member(values: string[]): (v: string) => boolean {
  if (values.length <= 16) return (v) => values.includes(v);
  const set = new Set(values);
  return (v) => set.has(v);
}

export function compileValidate(spec: ValidateSpec): StringCheck | undefined {
  const checks: StringCheck[] = [];
  if (spec.allow) {
    const allowed = member(spec.allow);
    const list = spec.allow.map((a) => JSON.stringify(a)).join(", ");
    checks.push((v) => (allowed(v) ? undefined : `expected one of [${list}], got ${describeValue(v)}`));
  }
  if (spec.deny) {
    const denied = member(spec.deny);
    checks.push((v) => (denied(v) ? `value ${describeValue(v)} is denied` : undefined));
  }
  if (spec.ip) {
    const family = spec.ip;
    const what = family === "any" ? "an IP address" : `an ${family} address`;
    checks.push((v) => (isIPOf(family, v) ? undefined : `expected ${what}, got ${describeValue(v)}`));
  }
  if (spec.cidr) {
    const family = spec.cidr;
    const what = family === "any" ? "a CIDR block" : `an ${family} CIDR block`;
    checks.push((v) => (isCIDROf(family, v) ? undefined : `expected ${what}, got ${describeValue(v)}`));
  }
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (v) => {
    for (const check of checks) {
      const why = check(v);
      if (why) return why;
    }
    return undefined;
  };
}
