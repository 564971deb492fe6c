import { defineConfig } from "drizzle-kit";

// Data-lake migrations, applied with `wrangler d1 migrations apply LAKE`.
export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/lake-schema.ts",
  out: "./migrations/lake",
});
