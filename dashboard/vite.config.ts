import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// In development the dashboard proxies the API and ingest paths to the local Worker, so the
// browser talks to one origin. In production (Pages) VITE_API_URL names the Worker.
const api = process.env.PIPEWATCH_API_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte()],
  server: {
    port: Number(process.env.DASHBOARD_PORT ?? 5173),
    strictPort: true,
    cors: false,
    proxy: { "/api": api, "/http": api },
  },
  build: { outDir: "dist", emptyOutDir: true },
});
