import { app } from "./app";

export { SourceMonitor } from "./sources/source-monitor";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
