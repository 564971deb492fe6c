import { Hono, type Context } from "hono";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode, notFound } from "../errors";
import { logSources } from "../db/schema";
import { queryParams } from "../lib/validate";
import { readHealth, runHealthChecks } from "../sources/health-runner";
import { monitorOf } from "../sources/lifecycle";

async function loadSource(c: Context<AppEnv>, id: string) {
  const row = await drizzle(c.env.DB).select().from(logSources).where(eq(logSources.id, id)).get();
  if (!row) throw notFound("Log source", id);
  return row;
}

const metricsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  intervalMinutes: z.coerce.number().int().min(1).max(1440).default(60),
});

/** Counters are kept 7 days; a series has at most this many points. */
const MAX_POINTS = 2000;

/** Health and metrics of a source, from its monitor. Reading them is open to every role. */
export const sourceMonitoringRoutes = new Hono<AppEnv>()
  .get("/:id/health", async (c) => c.json(await readHealth(c.env, await loadSource(c, c.req.param("id")))))
  .post("/:id/health-check", async (c) => c.json(await runHealthChecks(c.env, await loadSource(c, c.req.param("id")))))
  .get("/:id/metrics", queryParams(metricsQuery), async (c) => {
    const row = await loadSource(c, c.req.param("id"));
    const q = c.req.valid("query");
    const to = q.to ? Date.parse(q.to) : Date.now();
    const from = q.from ? Date.parse(q.from) : to - 24 * 3600_000;
    const step = q.intervalMinutes * 60_000;
    if (from >= to) throw new ApiError(ErrorCode.VALIDATION_FAILED, "from must be before to", [{ path: "from", message: "must be before to" }]);
    if ((to - from) / step > MAX_POINTS) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, `At most ${MAX_POINTS} intervals per request`, [{ path: "intervalMinutes", message: "too small for this range" }]);
    }
    // Align to the interval so consecutive requests bucket the same way.
    const alignedFrom = Math.floor(from / step) * step;
    return c.json(await monitorOf(c.env, row.id).metrics({ from: alignedFrom, to, intervalMinutes: q.intervalMinutes }));
  });
