import { Hono, type Context } from "hono";
import { z } from "zod";
import { and, asc, desc, eq, inArray, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode, notFound } from "../errors";
import { ALERT_STATUSES, SEVERITIES, SYSTEM_ERROR_TYPES, alertEvents, alertHistory, alerts, deliveries, destinations } from "../db/schema";
import { requirePermission } from "../auth/middleware";
import { auditInsert } from "../audit/trail";
import { jsonBody, queryParams } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";
import { presentAlert, presentAlertDetail } from "../alerts/present";
import { resolveAlert } from "../alerts/system-errors";
import { resolveClassificationAlert } from "../alerts/classification";
import { listAlertFailures } from "../alerts/failures";
import { presentDelivery } from "../delivery/records";

/** The dashboard's tabs, and the alert types each one lists. */
const LIST_TYPES = {
  ALERT: ["RULE", "SCHEDULED_RULE", "POLICY"],
  DETECTION_ERROR: ["RULE_ERROR", "SCHEDULED_RULE_ERROR"],
  SYSTEM_ERROR: ["SYSTEM_ERROR"],
} as const;

const many = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const listQuery = z.object({
  ...pageQuery,
  type: z.enum(["ALERT", "DETECTION_ERROR", "SYSTEM_ERROR"]).optional(),
  subtype: many(z.enum(["RULE", "SCHEDULED_RULE", "POLICY", "RULE_ERROR", "SCHEDULED_RULE_ERROR", ...SYSTEM_ERROR_TYPES])).optional(),
  status: many(z.enum(ALERT_STATUSES)).optional(),
  severity: many(z.enum(SEVERITIES)).optional(),
  sourceId: z.string().max(100).optional(),
});

const patchAlert = z
  .strictObject({ status: z.enum(ALERT_STATUSES).optional(), assignee: z.string().max(200).nullable().optional() })
  .refine((b) => b.status !== undefined || b.assignee !== undefined, { message: "send status or assignee" });

type AlertRow = typeof alerts.$inferSelect;

async function loadAlert(c: Context<AppEnv>, id: string): Promise<AlertRow> {
  const row = await drizzle(c.env.DB).select().from(alerts).where(eq(alerts.id, id)).get();
  if (!row) throw notFound("Alert", id);
  return row;
}

const isClassification = (row: AlertRow) => row.systemErrorType === "SOURCE_CLASSIFICATION_FAILURES";

export const alertRoutes = new Hono<AppEnv>()
  .get("/", queryParams(listQuery), async (c) => {
    const q = c.req.valid("query");
    const after = decodeCursor(q.cursor);
    const subtypeColumn = q.type === "SYSTEM_ERROR" ? alerts.systemErrorType : alerts.type;
    const rows = await drizzle(c.env.DB)
      .select()
      .from(alerts)
      .where(
        and(
          q.type ? inArray(alerts.type, [...LIST_TYPES[q.type]]) : undefined,
          q.subtype ? inArray(subtypeColumn, q.subtype as string[] as never[]) : undefined,
          q.status ? inArray(alerts.status, q.status) : undefined,
          q.severity ? inArray(alerts.severity, q.severity) : undefined,
          q.sourceId ? eq(alerts.sourceId, q.sourceId) : undefined,
          after ? or(lt(alerts.createdAt, after.k), and(eq(alerts.createdAt, after.k), lt(alerts.id, after.id))) : undefined,
        ),
      )
      .orderBy(desc(alerts.createdAt), desc(alerts.id))
      .limit(q.limit + 1);
    return c.json(toPage(rows, q.limit, (r) => ({ k: r.createdAt, id: r.id }), presentAlert));
  })
  .get("/:id", async (c) => {
    const row = await loadAlert(c, c.req.param("id"));
    const db = drizzle(c.env.DB);
    const [history, sent, outputs] = await Promise.all([
      db.select().from(alertHistory).where(eq(alertHistory.alertId, row.id)).orderBy(asc(alertHistory.at)),
      db.select().from(deliveries).where(eq(deliveries.alertId, row.id)).orderBy(desc(deliveries.dispatchedAt)),
      db.select({ id: destinations.id, displayName: destinations.displayName, outputType: destinations.outputType }).from(destinations),
    ]);
    const names = new Map(outputs.map((o) => [o.id, o]));
    return c.json({
      ...presentAlertDetail(row, history),
      deliveries: sent.map((d) => presentDelivery(d, names.get(d.outputId))),
    });
  })
  .get("/:id/events", queryParams(z.object(pageQuery)), async (c) => {
    const row = await loadAlert(c, c.req.param("id"));
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const rows = await drizzle(c.env.DB)
      .select()
      .from(alertEvents)
      .where(and(eq(alertEvents.alertId, row.id), after ? or(lt(alertEvents.at, after.k), and(eq(alertEvents.at, after.k), lt(alertEvents.id, after.id))) : undefined))
      .orderBy(desc(alertEvents.at), desc(alertEvents.id))
      .limit(limit + 1);
    return c.json(toPage(rows, limit, (r) => ({ k: r.at, id: r.id }), (r) => ({ id: r.id, at: r.at, ...r.payload })));
  })
  .get("/:id/failures", queryParams(z.object(pageQuery)), async (c) => {
    const row = await loadAlert(c, c.req.param("id"));
    if (!isClassification(row)) throw new ApiError(ErrorCode.NOT_FOUND, "Only classification alerts have failing lines");
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listAlertFailures(c.env, row, limit, cursor));
  })
  .patch("/:id", requirePermission("triage"), jsonBody(patchAlert), async (c) => {
    const row = await loadAlert(c, c.req.param("id"));
    const body = c.req.valid("json");
    if (body.status === "RESOLVED" && isClassification(row)) {
      throw new ApiError(
        ErrorCode.CONFLICT,
        "A classification alert is resolved by choosing Reprocess or Skip: POST /api/alerts/:id/resolve {reprocess}",
      );
    }
    const actor = c.get("actor");
    const now = new Date().toISOString();
    const db = drizzle(c.env.DB);
    if (body.status === "RESOLVED") {
      const resolved = await resolveAlert(c.env, row, { by: actor, reason: `Resolved by ${actor.name}` });
      if (!resolved) throw new ApiError(ErrorCode.CONFLICT, `The alert is already ${row.status}`);
    }
    const changes: { field: string; from: string | null; to: string | null }[] = [];
    const set: Partial<AlertRow> = { updatedAt: now };
    if (body.status !== undefined && body.status !== "RESOLVED" && body.status !== row.status) {
      changes.push({ field: "status", from: row.status, to: body.status });
      set.status = body.status;
      // Reopening must not create a second open alert for the same problem.
    }
    if (body.assignee !== undefined && body.assignee !== row.assignee) {
      changes.push({ field: "assignee", from: row.assignee, to: body.assignee });
      set.assignee = body.assignee;
    }
    if (changes.length) {
      try {
        await db.batch([
          db.update(alerts).set(set).where(eq(alerts.id, row.id)),
          ...changes.map((ch) =>
            db.insert(alertHistory).values({ id: crypto.randomUUID(), alertId: row.id, at: now, actorId: actor.id, actorName: actor.name, field: ch.field, fromValue: ch.from, toValue: ch.to }),
          ),
          auditInsert(c, { action: "alert.update", targetType: "alert", targetId: row.id, details: Object.fromEntries(changes.map((ch) => [ch.field, ch.to])) }),
        ]);
      } catch (err) {
        if (/UNIQUE constraint failed/.test(String(err) + String((err as Error).cause ?? ""))) {
          throw new ApiError(ErrorCode.CONFLICT, "Another alert for the same problem is open; it cannot be reopened");
        }
        throw err;
      }
    }
    const fresh = await loadAlert(c, row.id);
    return c.json(presentAlert(fresh));
  })
  .post("/:id/resolve", requirePermission("triage"), jsonBody(z.strictObject({ reprocess: z.boolean().default(false) })), async (c) => {
    const row = await loadAlert(c, c.req.param("id"));
    const { reprocess } = c.req.valid("json");
    if (row.status === "RESOLVED" || row.status === "CLOSED") throw new ApiError(ErrorCode.CONFLICT, `The alert is already ${row.status}`);
    const actor = c.get("actor");
    if (isClassification(row)) {
      const outcome = await resolveClassificationAlert(c.env, row, { reprocess, by: actor });
      const db = drizzle(c.env.DB);
      await db.batch([auditInsert(c, { action: reprocess ? "alert.reprocess" : "alert.skip", targetType: "alert", targetId: row.id, details: outcome })]);
      return reprocess ? c.json({ jobId: outcome.jobId as string, alert: presentAlert(await loadAlert(c, row.id)) }, 202) : c.json(presentAlert(await loadAlert(c, row.id)));
    }
    if (reprocess) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "Only classification alerts can be reprocessed", [{ path: "reprocess", message: "must be false for this alert" }]);
    }
    const resolved = await resolveAlert(c.env, row, { by: actor, reason: `Resolved by ${actor.name}` });
    if (!resolved) throw new ApiError(ErrorCode.CONFLICT, "The alert was resolved meanwhile");
    await drizzle(c.env.DB).batch([auditInsert(c, { action: "alert.resolve", targetType: "alert", targetId: row.id })]);
    return c.json(presentAlert(resolved));
  });
