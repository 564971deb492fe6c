import { Hono, type Context } from "hono";
import { z } from "zod";
import { validator } from "hono/validator";
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode, notFound } from "../errors";
import { alerts, deliveries, destinations } from "../db/schema";
import { requirePermission } from "../auth/middleware";
import { auditInsert } from "../audit/trail";
import { queryParams, zodDetails } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";
import { dispatchAlert } from "../delivery/dispatch";
import { presentDelivery } from "../delivery/records";
import { neverRouteTo } from "../delivery/routing";

const deliverBody = z.strictObject({
  /** Where to send it; without, wherever routing sends the alert today. */
  outputIds: z
    .array(z.string().min(1).max(100))
    .min(1)
    .max(50)
    .transform((ids) => [...new Set(ids)])
    .optional(),
  /** RESOLVED re-sends the resolution of a resolved alert. */
  kind: z.enum(["ALERT", "RESOLVED"]).default("ALERT"),
});

/** A JSON body that may also be left out entirely (`curl -X POST` with no data means `{}`). */
function optionalJson<S extends z.ZodType>(schema: S) {
  return validator("json", (value, c): z.output<S> => {
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim();
    if (type && !/^application\/([\w.-]+\+)?json$/i.test(type)) {
      throw new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body must be JSON (Content-Type: application/json)");
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ApiError(ErrorCode.VALIDATION_FAILED, "The request body is not valid", zodDetails(parsed.error));
    return parsed.data;
  });
}

async function loadAlert(c: Context<AppEnv>, id: string) {
  const row = await drizzle(c.env.DB).select().from(alerts).where(eq(alerts.id, id)).get();
  if (!row) throw notFound("Alert", id);
  return row;
}

/** Delivery routes under an alert; mounted at /alerts beside the alerts routes themselves. */
export const alertDeliveryRoutes = new Hono<AppEnv>()
  .get("/:id/deliveries", queryParams(z.object(pageQuery)), async (c) => {
    const alert = await loadAlert(c, c.req.param("id"));
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const rows = await drizzle(c.env.DB)
      .select({ delivery: deliveries, dest: { displayName: destinations.displayName, outputType: destinations.outputType } })
      .from(deliveries)
      .leftJoin(destinations, eq(destinations.id, deliveries.outputId))
      .where(
        and(
          eq(deliveries.alertId, alert.id),
          after ? or(lt(deliveries.dispatchedAt, after.k), and(eq(deliveries.dispatchedAt, after.k), lt(deliveries.id, after.id))) : undefined,
        ),
      )
      .orderBy(desc(deliveries.dispatchedAt), desc(deliveries.id))
      .limit(limit + 1);
    return c.json(
      toPage(
        rows,
        limit,
        (r) => ({ k: r.delivery.dispatchedAt, id: r.delivery.id }),
        (r) => presentDelivery(r.delivery, r.dest?.displayName ? r.dest : null),
      ),
    );
  })
  /** Sends an alert again (Analysts may): new deliveries, queued like the first ones. */
  .post("/:id/deliver", requirePermission("triage"), optionalJson(deliverBody), async (c) => {
    const alert = await loadAlert(c, c.req.param("id"));
    const body = c.req.valid("json");
    if (body.kind === "RESOLVED" && alert.status !== "RESOLVED") {
      throw new ApiError(ErrorCode.CONFLICT, "Only a resolved alert has a resolution to send", [{ path: "kind", message: `the alert is ${alert.status}` }]);
    }
    const db = drizzle(c.env.DB);
    if (body.outputIds) {
      const known = await db.select({ id: destinations.id }).from(destinations).where(inArray(destinations.id, body.outputIds));
      const ids = new Set(known.map((k) => k.id));
      const never = neverRouteTo(alert);
      const details = body.outputIds.flatMap((id, i) =>
        !ids.has(id)
          ? [{ path: `outputIds[${i}]`, message: `no alert destination '${id}'` }]
          : never.includes(id)
            ? [{ path: `outputIds[${i}]`, message: "this alert is about that destination's failing deliveries; it is never sent there" }]
            : [],
      );
      if (details.length) throw new ApiError(ErrorCode.VALIDATION_FAILED, "Some destinations cannot receive this alert", details);
    }
    const rows = await dispatchAlert(c.env, alert.id, { kind: body.kind, outputIds: body.outputIds });
    const dests = rows.length ? await db.select().from(destinations).where(inArray(destinations.id, rows.map((r) => r.outputId))) : [];
    const byId = new Map(dests.map((d) => [d.id, d]));
    await auditInsert(c, { action: "alert.deliver", targetType: "alert", targetId: alert.id, details: { kind: body.kind, outputIds: rows.map((r) => r.outputId) } });
    return c.json({ results: rows.map((r) => presentDelivery(r, byId.get(r.outputId))), next: null }, 202);
  });
