import { Hono, type Context } from "hono";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { numberVar } from "../env";
import { ApiError, ErrorCode, notFound } from "../errors";
import { logSources } from "../db/schema";
import { requirePermission } from "../auth/middleware";
import { auditInsert } from "../audit/trail";
import { jsonBody } from "../lib/validate";
import { monitorOf, syncMonitor } from "../sources/lifecycle";
import { MAX_DROP_OFF_MINUTES } from "../sources/http-source";

type SourceRow = typeof logSources.$inferSelect;

/** The only alarm type a user sets; the others are raised by Pipewatch itself. */
const ALARM_TYPE = "SOURCE_NO_DATA";

async function loadSource(c: Context<AppEnv>, id: string, type: string): Promise<SourceRow> {
  if (type !== ALARM_TYPE) throw notFound("Alarm type", type);
  const row = await drizzle(c.env.DB).select().from(logSources).where(eq(logSources.id, id)).get();
  if (!row) throw notFound("Log source", id);
  if (row.type === "audit") {
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The audit log source cannot have a drop-off alarm: it receives events only when someone changes Pipewatch, so silence is normal", [
      { path: "sourceId", message: "audit sources have no drop-off alarm" },
    ]);
  }
  return row;
}

async function present(c: Context<AppEnv>, row: SourceRow) {
  const status = await monitorOf(c.env, row.id).alarmStatus();
  return { type: ALARM_TYPE, minutesThreshold: row.dropOffMinutes, state: row.dropOffMinutes === null ? null : status.state };
}

export const logSourceAlarmRoutes = new Hono<AppEnv>()
  .get("/:sourceId/:type", async (c) => {
    const row = await loadSource(c, c.req.param("sourceId"), c.req.param("type"));
    if (row.dropOffMinutes === null) throw notFound("Drop-off alarm of source", row.id);
    return c.json(await present(c, row));
  })
  .put("/:sourceId/:type", requirePermission("admin"), jsonBody(z.strictObject({ minutesThreshold: z.number().int() })), async (c) => {
    const row = await loadSource(c, c.req.param("sourceId"), c.req.param("type"));
    const { minutesThreshold } = c.req.valid("json");
    const min = numberVar(c.env.DROP_OFF_MIN_MINUTES, 15);
    if (minutesThreshold < min || minutesThreshold > MAX_DROP_OFF_MINUTES) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The threshold is out of range", [
        { path: "minutesThreshold", message: `must be between ${min} and ${MAX_DROP_OFF_MINUTES} minutes` },
      ]);
    }
    const next = { ...row, dropOffMinutes: minutesThreshold, updatedAt: new Date().toISOString() };
    const db = drizzle(c.env.DB);
    await db.batch([
      db.update(logSources).set({ dropOffMinutes: minutesThreshold, updatedAt: next.updatedAt }).where(eq(logSources.id, row.id)),
      auditInsert(c, { action: "log_source_alarm.put", targetType: "log_source", targetId: row.id, details: { minutesThreshold } }),
    ]);
    await syncMonitor(c.env, next);
    return c.json(await present(c, next));
  })
  .delete("/:sourceId/:type", requirePermission("admin"), async (c) => {
    const row = await loadSource(c, c.req.param("sourceId"), c.req.param("type"));
    const next = { ...row, dropOffMinutes: null, updatedAt: new Date().toISOString() };
    const db = drizzle(c.env.DB);
    await db.batch([
      db.update(logSources).set({ dropOffMinutes: null, updatedAt: next.updatedAt }).where(eq(logSources.id, row.id)),
      auditInsert(c, { action: "log_source_alarm.delete", targetType: "log_source", targetId: row.id }),
    ]);
    await syncMonitor(c.env, next);
    return c.json({ type: ALARM_TYPE, minutesThreshold: null, state: null });
  });
