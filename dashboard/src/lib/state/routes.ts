/** The tabs of a source's page, as the last part of its path (`/sources/<id>/health`). */
export type SourceTab = "overview" | "health" | "settings" | "data-audit";
export const SOURCE_TABS: readonly SourceTab[] = ["overview", "health", "settings", "data-audit"];

/** The kinds of source the wizard creates (`/sources/new/s3`); none yet is the chooser. */
export type SourceKind = "http" | "s3";

/** The tabs of the Destinations page. */
export type DestinationsTab = "destinations" | "non-delivered";

/** Query parameters of a hash path: each name with every value it was given, in order. */
export type Query = Readonly<Record<string, readonly string[]>>;

/** Every page of the dashboard, as the hash router names it. */
export type Route =
  | { name: "overview" }
  | { name: "system-errors"; query: Query }
  | { name: "alerts"; query: Query }
  | { name: "alert"; id: string }
  | { name: "sources" }
  | { name: "source-new"; kind: SourceKind | null }
  | { name: "source"; id: string; tab: SourceTab }
  | { name: "schemas" }
  | { name: "schema-new" }
  | { name: "schema"; schemaName: string }
  | { name: "destinations"; tab: DestinationsTab }
  | { name: "destination-new" }
  | { name: "destination"; id: string }
  | { name: "api-tokens" }
  | { name: "not-found"; path: string };

export const HOME = "/overview";

export function parseQuery(search: string): Query {
  const out: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) (out[key] ??= []).push(value);
  return out;
}

/** `/alerts` + {type: ["SYSTEM_ERROR"], status: ["OPEN", "TRIAGED"]} → `/alerts?type=SYSTEM_ERROR&status=OPEN&status=TRIAGED`. */
export function withQuery(path: string, query: Record<string, string | readonly string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of typeof value === "string" ? [value] : (value ?? [])) if (v !== "") params.append(key, v);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The path of a hash without its query: `/alerts?type=X` → `/alerts`. */
export const pathOnly = (path: string) => path.split("?")[0];

/** Matches a hash path (`/sources/abc`) to a route; unknown paths are a not-found route, never an error. */
export function matchRoute(fullPath: string): Route {
  const [path, search = ""] = fullPath.split("?", 2);
  const query = parseQuery(search);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, third, ...rest] = parts;
  const notFound: Route = { name: "not-found", path: fullPath };
  if (rest.length) return notFound;
  if (third !== undefined && first !== "sources") return notFound;
  switch (first) {
    case "overview":
      return second === undefined ? { name: first } : notFound;
    case "system-errors":
      return second === undefined ? { name: first, query } : notFound;
    case "alerts":
      return second === undefined ? { name: "alerts", query } : { name: "alert", id: second };
    case "destinations":
      if (second === undefined) return { name: "destinations", tab: "destinations" };
      if (second === "non-delivered") return { name: "destinations", tab: "non-delivered" };
      return second === "new" ? { name: "destination-new" } : { name: "destination", id: second };
    case "sources": {
      if (second === undefined) return third === undefined ? { name: "sources" } : notFound;
      if (second === "new") {
        if (third === undefined) return { name: "source-new", kind: null };
        return third === "http" || third === "s3" ? { name: "source-new", kind: third } : notFound;
      }
      const tab = (third ?? "overview") as SourceTab;
      return SOURCE_TABS.includes(tab) ? { name: "source", id: second, tab } : notFound;
    }
    case "schemas":
      if (second === undefined) return { name: "schemas" };
      return second === "new" ? { name: "schema-new" } : { name: "schema", schemaName: second };
    case "settings":
      return second === undefined || second === "api-tokens" ? { name: "api-tokens" } : notFound;
    default:
      return notFound;
  }
}

/** The href of a hash path, for links. */
export const href = (path: string) => `#${path}`;
