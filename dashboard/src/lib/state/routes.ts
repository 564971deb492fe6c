/** Every page of the dashboard, as the hash router names it. */
export type Route =
  | { name: "overview" }
  | { name: "system-errors" }
  | { name: "alerts" }
  | { name: "sources" }
  | { name: "source-new" }
  | { name: "source"; id: string }
  | { name: "schemas" }
  | { name: "schema-new" }
  | { name: "schema"; schemaName: string }
  | { name: "destinations" }
  | { name: "api-tokens" }
  | { name: "not-found"; path: string };

export const HOME = "/overview";

/** Matches a hash path (`/sources/abc`) to a route; unknown paths are a not-found route, never an error. */
export function matchRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, ...rest] = parts;
  if (rest.length) return { name: "not-found", path };
  switch (first) {
    case "overview":
    case "system-errors":
    case "alerts":
    case "destinations":
      return second === undefined ? { name: first } : { name: "not-found", path };
    case "sources":
      if (second === undefined) return { name: "sources" };
      return second === "new" ? { name: "source-new" } : { name: "source", id: second };
    case "schemas":
      if (second === undefined) return { name: "schemas" };
      return second === "new" ? { name: "schema-new" } : { name: "schema", schemaName: second };
    case "settings":
      return second === undefined || second === "api-tokens" ? { name: "api-tokens" } : { name: "not-found", path };
    default:
      return { name: "not-found", path };
  }
}

/** The href of a hash path, for links. */
export const href = (path: string) => `#${path}`;
