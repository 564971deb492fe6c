import { Hono } from "hono";
import { z } from "zod";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode, notFound } from "../errors";
import { apiTokens } from "../db/schema";
import { ROLES } from "../auth/actor";
import { generateToken, sha256Hex } from "../auth/tokens";
import { writesNeedAdmin } from "../auth/middleware";
import { auditInsert } from "../audit/trail";
import { jsonBody, queryParams } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";

const createToken = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
});

type TokenRow = typeof apiTokens.$inferSelect;

/** The public view of a token: never its value or hash. */
function present(row: TokenRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export const apiTokenRoutes = new Hono<AppEnv>()
  .use("*", writesNeedAdmin)
  .get("/", queryParams(z.object(pageQuery)), async (c) => {
    // Listing tokens shows who can reach the API: an Admin matter.
    if (c.get("actor").role !== "Admin") throw new ApiError(ErrorCode.FORBIDDEN, "Only Admins can list API tokens");
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const rows = await drizzle(c.env.DB)
      .select()
      .from(apiTokens)
      .where(after ? or(lt(apiTokens.createdAt, after.k), and(eq(apiTokens.createdAt, after.k), lt(apiTokens.id, after.id))) : undefined)
      .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
      .limit(limit + 1);
    return c.json(toPage(rows, limit, (r) => ({ k: r.createdAt, id: r.id }), present));
  })
  .post("/", jsonBody(createToken), async (c) => {
    const body = c.req.valid("json");
    const now = new Date();
    if (body.expiresAt && Date.parse(body.expiresAt) <= now.getTime()) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The token would already be expired", [
        { path: "expiresAt", message: "must be in the future" },
      ]);
    }
    const token = generateToken();
    const row: TokenRow = {
      id: crypto.randomUUID(),
      name: body.name,
      role: body.role,
      tokenHash: await sha256Hex(token),
      createdAt: now.toISOString(),
      createdBy: c.get("actor").name,
      expiresAt: body.expiresAt ? new Date(body.expiresAt).toISOString() : null,
      revokedAt: null,
      lastUsedAt: null,
    };
    const db = drizzle(c.env.DB);
    await db.batch([
      db.insert(apiTokens).values(row),
      auditInsert(c, { action: "api_token.create", targetType: "api_token", targetId: row.id, details: { name: row.name, role: row.role, expiresAt: row.expiresAt } }, now),
    ]);
    // The only time the token is shown.
    return c.json({ ...present(row), token }, 201);
  })
  .delete("/:id", async (c) => {
    const id = c.req.param("id");
    const db = drizzle(c.env.DB);
    const row = await db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
    if (!row) throw notFound("API token", id);
    if (row.revokedAt) return c.json(present(row));
    const now = new Date();
    await db.batch([
      db.update(apiTokens).set({ revokedAt: now.toISOString() }).where(eq(apiTokens.id, id)),
      auditInsert(c, { action: "api_token.revoke", targetType: "api_token", targetId: id, details: { name: row.name } }, now),
    ]);
    return c.json(present({ ...row, revokedAt: now.toISOString() }));
  });
