import { isRawJSON } from "./lossless";

const MAX_SHOWN = 64;

/** A value as a failure message shows it: `"abc"`, `42`, `true`, `an object`, `an array`. */
export function describeValue(v: unknown): string {
  if (typeof v === "string") {
    const shown = v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}…` : v;
    return JSON.stringify(shown);
  }
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (isRawJSON(v)) return v.rawJSON;
  return "an object";
}
