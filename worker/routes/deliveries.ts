import { Hono } from "hono";
import { z } from "zod";
import { and, asc, desc, eq, gt, inArray, lt, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { alerts, DELIVERY_STATUSES, deliveries, deliveryAttempts, destinations } from "../db/schema";
import { queryParams } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";
import { presentAttempt, presentDelivery } from "../delivery/records";

const many = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const listQuery = z.object({
  ...pageQuery,
  status: many(z.enum(DELIVERY_STATUSES)).optional(),
  kind: many(z.enum(["ALERT", "RESOLVED", "TEST"])).optional(),
  outputId: z.string().max(100).optional(),
  alertId: z.string().max(100).optional(),
});

const later = alias(deliveries, "later");

/** Attempt numbers as cursor keys, zero-padded so they sort as text too. */
const attemptKey = (n: number) => String(n).padStart(6, "0");

export const deliveryRoutes = new Hono<AppEnv>()
  /**
   * Deliveries, newest first. `status=FAILED` is the non-delivered list: failures not since made
   * good by a re-send to the same destination. Test deliveries show only when asked for by kind.
   */
  .get("/", queryParams(listQuery), async (c) => {
    const q = c.req.valid("query");
    const after = decodeCursor(q.cursor);
    const resentOk = notExists(
      drizzle(c.env.DB)
        .select({ one: sql`1` })
        .from(later)
        .where(
          and(
            eq(later.alertId, deliveries.alertId),
            eq(later.outputId, deliveries.outputId),
            eq(later.kind, deliveries.kind),
            eq(later.status, "DELIVERED"),
            gt(later.dispatchedAt, deliveries.dispatchedAt),
          ),
        ),
    );
    const rows = await drizzle(c.env.DB)
      .select({ delivery: deliveries, dest: { displayName: destinations.displayName, outputType: destinations.outputType }, alert: { title: alerts.title, severity: alerts.severity, type: alerts.type, status: alerts.status } })
      .from(deliveries)
      .leftJoin(destinations, eq(destinations.id, deliveries.outputId))
      .leftJoin(alerts, eq(alerts.id, deliveries.alertId))
      .where(
        and(
          q.status ? inArray(deliveries.status, q.status) : undefined,
          q.status?.includes("FAILED") ? resentOk : undefined,
          inArray(deliveries.kind, q.kind ?? ["ALERT", "RESOLVED"]),
          q.outputId ? eq(deliveries.outputId, q.outputId) : undefined,
          q.alertId ? eq(deliveries.alertId, q.alertId) : undefined,
          after ? or(lt(deliveries.dispatchedAt, after.k), and(eq(deliveries.dispatchedAt, after.k), lt(deliveries.id, after.id))) : undefined,
        ),
      )
      .orderBy(desc(deliveries.dispatchedAt), desc(deliveries.id))
      .limit(q.limit + 1);
    return c.json(
      toPage(
        rows,
        q.limit,
        (r) => ({ k: r.delivery.dispatchedAt, id: r.delivery.id }),
        (r) => ({ ...presentDelivery(r.delivery, r.dest?.displayName ? r.dest : null), alert: r.alert?.title ? r.alert : null }),
      ),
    );
  })
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    const [row] = await drizzle(c.env.DB)
      .select({ delivery: deliveries, dest: { displayName: destinations.displayName, outputType: destinations.outputType } })
      .from(deliveries)
      .leftJoin(destinations, eq(destinations.id, deliveries.outputId))
      .where(eq(deliveries.id, id));
    if (!row) throw notFound("Delivery", id);
    return c.json(presentDelivery(row.delivery, row.dest?.displayName ? row.dest : null));
  })
  /** Every attempt of a delivery, first first: what was answered, and how long it took. */
  .get("/:id/attempts", queryParams(z.object(pageQuery)), async (c) => {
    const id = c.req.param("id");
    const { limit, cursor } = c.req.valid("query");
    const db = drizzle(c.env.DB);
    const delivery = await db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.id, id)).get();
    if (!delivery) throw notFound("Delivery", id);
    const after = decodeCursor(cursor);
    const rows = await db
      .select()
      .from(deliveryAttempts)
      .where(and(eq(deliveryAttempts.deliveryId, id), after ? gt(deliveryAttempts.attempt, Number(after.k)) : undefined))
      .orderBy(asc(deliveryAttempts.attempt))
      .limit(limit + 1);
    return c.json(toPage(rows, limit, (r) => ({ k: attemptKey(r.attempt), id: r.id }), presentAttempt));
  });
