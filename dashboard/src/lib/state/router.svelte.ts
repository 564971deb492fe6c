import { HOME, matchRoute, type Route } from "./routes";

function currentPath(): string {
  return location.hash.replace(/^#/, "") || HOME;
}

/** A tiny hash router: the path after `#`, the route it matches, and navigation. */
export class Router {
  path = $state(currentPath());
  readonly route: Route = $derived(matchRoute(this.path));

  constructor() {
    if (!location.hash) history.replaceState(null, "", `#${HOME}`);
    addEventListener("hashchange", () => {
      this.path = currentPath();
      scrollTo(0, 0);
    });
  }

  go(path: string): void {
    location.hash = path;
  }

  /** Whether the current path is `prefix` or below it, for highlighting navigation. */
  isUnder(prefix: string): boolean {
    return this.path === prefix || this.path.startsWith(`${prefix}/`);
  }
}

export const router = new Router();
