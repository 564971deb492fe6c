import { app } from "./app";
import { runScheduled } from "./cron/schedule";

export { SourceMonitor } from "./sources/source-monitor";

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env));
  },
} satisfies ExportedHandler<Env>;
