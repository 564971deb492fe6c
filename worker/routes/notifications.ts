import { Hono } from "hono";
import { z } from "zod";
import { and, count, desc, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { notifications } from "../db/schema";
import { queryParams } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";

const listQuery = z.object({ ...pageQuery, unread: z.enum(["true", "false"]).optional() });

function present(row: typeof notifications.$inferSelect) {
  return { id: row.id, kind: row.kind, title: row.title, message: row.message, link: row.link, alertId: row.alertId, createdAt: row.createdAt, readAt: row.readAt };
}

/** In-app notifications. Read state is shared by everyone who watches this Pipewatch. */
export const notificationRoutes = new Hono<AppEnv>()
  .get("/", queryParams(listQuery), async (c) => {
    const { limit, cursor, unread } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const db = drizzle(c.env.DB);
    const [rows, [unreadCount]] = await Promise.all([
      db
        .select()
        .from(notifications)
        .where(
          and(
            unread === "true" ? isNull(notifications.readAt) : undefined,
            after ? or(lt(notifications.createdAt, after.k), and(eq(notifications.createdAt, after.k), lt(notifications.id, after.id))) : undefined,
          ),
        )
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(limit + 1),
      db.select({ n: count() }).from(notifications).where(isNull(notifications.readAt)),
    ]);
    return c.json({ ...toPage(rows, limit, (r) => ({ k: r.createdAt, id: r.id }), present), unreadCount: unreadCount.n });
  })
  .post("/read-all", async (c) => {
    const res = await drizzle(c.env.DB).update(notifications).set({ readAt: new Date().toISOString() }).where(isNull(notifications.readAt));
    return c.json({ marked: res.meta.changes });
  })
  .post("/:id/read", async (c) => {
    const id = c.req.param("id");
    const db = drizzle(c.env.DB);
    const row = await db.select().from(notifications).where(eq(notifications.id, id)).get();
    if (!row) throw notFound("Notification", id);
    if (row.readAt) return c.json(present(row));
    const [updated] = await db.update(notifications).set({ readAt: new Date().toISOString() }).where(eq(notifications.id, id)).returning();
    return c.json(present(updated));
  });
