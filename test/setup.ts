import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { setAwsIO } from "../worker/s3/io";

// Idempotent: applyD1Migrations skips migrations already recorded.
await applyD1Migrations(env.DB, env.DB_MIGRATIONS);
await applyD1Migrations(env.LAKE, env.LAKE_MIGRATIONS);

// AWS calls in tests go to the local S3 server or to injected fetches: a failure is the answer
// under test, not a reason to retry.
setAwsIO({ retries: 0 });
