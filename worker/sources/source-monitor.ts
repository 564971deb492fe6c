import { DurableObject } from "cloudflare:workers";

/** Per-source monitor: last event times, per-minute counters and the drop-off alarm. */
export class SourceMonitor extends DurableObject<Env> {}
