import type { ErrorDetail } from "./api/client";

/**
 * The first message for each field path (`logTypes[0]`, `dropOffAlarm.minutesThreshold`), so a
 * form can show it beside its field. Array items also count for the array itself (`logTypes`).
 */
export function fieldErrors(details: readonly ErrorDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { path, message } of details) {
    out[path] ??= message;
    const base = path.replace(/(\[\d+\]|\.\d+)$/, "");
    if (base !== path) out[base] ??= message;
  }
  return out;
}

/** Details whose path is none of `known`: shown above the form so no error goes unseen. */
export function otherErrors(details: readonly ErrorDetail[], known: readonly string[]): ErrorDetail[] {
  return details.filter(({ path }) => !known.some((k) => path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`)));
}
