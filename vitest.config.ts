import { createServer } from "node:net";
import { defineConfig } from "vitest/config";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";

/** A free port on the loopback interface, for the S3 server that test/s3rver-setup.mjs starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Passes a request from the Worker on to the local S3 server, over real HTTP. */
async function forward(request: Request): Promise<Response> {
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const res = await fetch(request.url, { method: request.method, headers: request.headers, body, redirect: "manual" });
  const bodiless = request.method === "HEAD" || [204, 205, 304].includes(res.status);
  return new Response(bodiless ? null : await res.arrayBuffer(), { status: res.status, headers: res.headers });
}

// Unit and integration tests run inside workerd with the real bindings of wrangler.toml:
// D1 (both databases, migrated by test/setup.ts), the SourceMonitor Durable Object and the queues.
export default defineConfig(async () => {
  const dbMigrations = await readD1Migrations("migrations/db");
  const lakeMigrations = await readD1Migrations("migrations/lake");
  // Chosen here, because the Worker's outbound rule needs it; the global setup starts s3rver on it.
  process.env.PIPEWATCH_TEST_S3_PORT ??= String(await freePort());
  const s3Endpoint = `http://127.0.0.1:${process.env.PIPEWATCH_TEST_S3_PORT}`;
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // Tests never reach the network: outbound HTTP goes through injected fetches that
          // record it, and anything else (a background queue consumer's real fetch) lands here.
          // The one exception is the local S3 server (s3rver), which S3 tests talk to for real.
          outboundService: (request: Request) =>
            new URL(request.url).origin === s3Endpoint
              ? forward(request)
              : new Response("outbound network is disabled in tests", { status: 503 }),
          bindings: {
            ADMIN_TOKEN: "test-admin-token",
            DB_MIGRATIONS: dbMigrations,
            LAKE_MIGRATIONS: lakeMigrations,
            TEST_S3_ENDPOINT: s3Endpoint,
            // Pipewatch's own AWS identity, which assumes roles; STS itself is an injected fetch in tests.
            AWS_ACCESS_KEY_ID: "AKIAPIPEWATCHTEST001",
            AWS_SECRET_ACCESS_KEY: "pipewatch-test-secret-access-key",
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts", "worker/**/*.test.ts"],
      setupFiles: ["./test/setup.ts"],
      globalSetup: ["./test/s3rver-setup.mjs"],
    },
  };
});
