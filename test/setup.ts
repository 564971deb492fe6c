import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Idempotent: applyD1Migrations skips migrations already recorded.
await applyD1Migrations(env.DB, env.DB_MIGRATIONS);
await applyD1Migrations(env.LAKE, env.LAKE_MIGRATIONS);
