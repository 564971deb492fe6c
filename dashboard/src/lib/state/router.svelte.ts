import { HOME, matchRoute, pathOnly, type Route } from "./routes";

function currentPath(): string {
  return location.hash.replace(/^#/, "") || HOME;
}

/** A tiny hash router: the path after `#` (query included), the route it matches, and navigation. */
export class Router {
  path = $state(currentPath());
  readonly route: Route = $derived(matchRoute(this.path));

  constructor() {
    if (!location.hash) history.replaceState(null, "", `#${HOME}`);
    addEventListener("hashchange", () => {
      const next = currentPath();
      // A new page starts at the top; a new filter of the same page keeps the reader's place.
      if (pathOnly(next) !== pathOnly(this.path)) scrollTo(0, 0);
      this.path = next;
    });
  }

  go(path: string): void {
    location.hash = path;
  }

  /** Whether the current path is `prefix` or below it, for highlighting navigation. */
  isUnder(prefix: string): boolean {
    const path = pathOnly(this.path);
    return path === prefix || path.startsWith(`${prefix}/`);
  }
}

export const router = new Router();
