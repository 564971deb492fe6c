import { app } from "./app";
import { consumeDeadDeliveries, consumeDeliveries } from "./delivery/consumer";
import { runScheduled } from "./cron/schedule";
import { consumeDeadJobs, consumeJobs } from "./jobs/consumer";

export { SourceMonitor } from "./sources/source-monitor";

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    switch (batch.queue) {
      case "pipewatch-deliveries":
        return consumeDeliveries(batch, env);
      case "pipewatch-deliveries-dlq":
        return consumeDeadDeliveries(batch, env);
      case "pipewatch-jobs":
        return consumeJobs(batch, env);
      case "pipewatch-jobs-dlq":
        return consumeDeadJobs(batch, env);
      default:
        // A queue without a consumer yet: keep its messages rather than lose them.
        batch.retryAll();
    }
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env));
  },
} satisfies ExportedHandler<Env>;
