import { defineConfig } from "vitest/config";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";

// Unit and integration tests run inside workerd with the real bindings of wrangler.toml:
// D1 (both databases, migrated by test/setup.ts), the SourceMonitor Durable Object and the queues.
export default defineConfig(async () => {
  const dbMigrations = await readD1Migrations("migrations/db");
  const lakeMigrations = await readD1Migrations("migrations/lake");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            ADMIN_TOKEN: "test-admin-token",
            DB_MIGRATIONS: dbMigrations,
            LAKE_MIGRATIONS: lakeMigrations,
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts", "worker/**/*.test.ts"],
      setupFiles: ["./test/setup.ts"],
    },
  };
});
