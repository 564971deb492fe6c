import { defineConfig } from "drizzle-kit";

// Control-plane migrations, applied with `wrangler d1 migrations apply DB`.
export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema.ts",
  out: "./migrations/db",
});
