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
          // Tests never reach the network: outbound HTTP goes through injected fetches that
          // record it, and anything else (a background queue consumer's real fetch) lands here.
          outboundService: () => new Response("outbound network is disabled in tests", { status: 503 }),
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
