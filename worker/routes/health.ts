import { Hono } from "hono";
import type { AppEnv } from "../env";

export const VERSION = "0.1.0";

async function probe(db: D1Database): Promise<"ok" | "error"> {
  try {
    await db.prepare("SELECT 1").first();
    return "ok";
  } catch {
    return "error";
  }
}

/** Unauthenticated, so an outside dead-man's switch can watch Pipewatch itself. */
export const healthRoutes = new Hono<AppEnv>().get("/", async (c) => {
  const [db, lake] = await Promise.all([probe(c.env.DB), probe(c.env.LAKE)]);
  // A queue producer cannot be probed without sending; a missing binding is the failure we can see.
  const queues = c.env.DELIVERIES && c.env.JOBS ? "ok" : "error";
  const checks = { db, lake, queues } as const;
  const status = Object.values(checks).every((v) => v === "ok") ? "ok" : "degraded";
  return c.json({ status, version: VERSION, checks }, status === "ok" ? 200 : 503);
});
