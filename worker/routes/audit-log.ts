import { Hono } from "hono";
import { z } from "zod";
import { and, desc, eq, gte, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { auditLog } from "../db/schema";
import { queryParams } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";

const query = z.object({
  ...pageQuery,
  since: z.iso.datetime({ offset: true }).optional(),
  targetId: z.string().max(200).optional(),
});

/** Who changed what, when: newest first. */
export const auditLogRoutes = new Hono<AppEnv>().get("/", queryParams(query), async (c) => {
  const { limit, cursor, since, targetId } = c.req.valid("query");
  const after = decodeCursor(cursor);
  const rows = await drizzle(c.env.DB)
    .select()
    .from(auditLog)
    .where(
      and(
        since ? gte(auditLog.at, new Date(since).toISOString()) : undefined,
        targetId ? eq(auditLog.targetId, targetId) : undefined,
        after ? or(lt(auditLog.at, after.k), and(eq(auditLog.at, after.k), lt(auditLog.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
  return c.json(
    toPage(rows, limit, (r) => ({ k: r.at, id: r.id }), (r) => ({
      id: r.id,
      at: r.at,
      actor: { id: r.actorId, name: r.actorName },
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      details: r.details,
      requestId: r.requestId,
    })),
  );
});
