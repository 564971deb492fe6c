import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      DB_MIGRATIONS: D1Migration[];
      LAKE_MIGRATIONS: D1Migration[];
    }
  }
}
