/** Which log types an object's lines are tried against, by the prefix of its key. */
export interface PrefixRoute {
  /** "" matches every key. */
  prefix: string;
  logTypes: string[];
  /** Keys starting with one of these are skipped (full key prefixes, not relative to `prefix`). */
  excludedPrefixes: string[];
}

/**
 * The route of a key: the longest configured prefix it starts with decides (as Panther's
 * LongestPrefixMatch); null when none matches or that route excludes the key. An excluded key
 * does not fall back to a shorter prefix: the exclusion is what the user asked for.
 */
export function routeKey(routes: readonly PrefixRoute[], key: string): PrefixRoute | null {
  let best: PrefixRoute | null = null;
  for (const route of routes) {
    if (key.startsWith(route.prefix) && (!best || route.prefix.length > best.prefix.length)) best = route;
  }
  if (!best || best.excludedPrefixes.some((p) => key.startsWith(p))) return null;
  return best;
}

/** The prefixes to list: each configured one not already covered by a shorter one, so no key is listed twice. */
export function listingPrefixes(routes: readonly PrefixRoute[]): string[] {
  const sorted = [...new Set(routes.map((r) => r.prefix))].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const out: string[] = [];
  for (const p of sorted) if (!out.some((q) => p.startsWith(q))) out.push(p);
  return out;
}

/** A "folder": the console's zero-byte placeholder objects end in "/". */
export const isFolderKey = (key: string) => key.endsWith("/");
