import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      DB_MIGRATIONS: D1Migration[];
      LAKE_MIGRATIONS: D1Migration[];
      /** The local S3 server (s3rver) started by test/s3rver-setup.mjs. */
      TEST_S3_ENDPOINT: string;
    }
  }
}
