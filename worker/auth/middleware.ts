import { createMiddleware } from "hono/factory";
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode } from "../errors";
import { apiTokens } from "../db/schema";
import { can, type Actor, type Permission } from "./actor";
import { safeEqual, sha256Hex } from "./tokens";

const BOOTSTRAP: Omit<Actor, "role"> = { id: "admin-token", name: "Admin token" };
/** last_used_at is informative; writing it at most once a minute keeps reads free of writes. */
const LAST_USED_WRITE_MS = 60_000;

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

async function authenticate(env: Env, token: string, now: Date): Promise<Actor | undefined> {
  if (env.ADMIN_TOKEN && (await safeEqual(token, env.ADMIN_TOKEN))) return { ...BOOTSTRAP, role: "Admin" };
  // Lookup by the token's SHA-256: the stored value is a hash, never the token.
  const db = drizzle(env.DB);
  const row = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, await sha256Hex(token)), isNull(apiTokens.revokedAt)))
    .get();
  if (!row) return undefined;
  if (row.expiresAt && row.expiresAt <= now.toISOString()) return undefined;
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > LAST_USED_WRITE_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now.toISOString() }).where(eq(apiTokens.id, row.id));
  }
  return { id: row.id, name: row.name, role: row.role };
}

/** Requires `Authorization: Bearer <api token>` and puts the caller on the context. */
export const requireToken = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (!token) throw new ApiError(ErrorCode.UNAUTHORIZED, "Send an API token as 'Authorization: Bearer <token>'");
  const actor = await authenticate(c.env, token, new Date());
  if (!actor) throw new ApiError(ErrorCode.UNAUTHORIZED, "The API token is not valid: unknown, expired or revoked");
  c.set("actor", actor);
  await next();
});

/** Refuses callers whose role lacks the permission. */
export function requirePermission(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const actor = c.get("actor");
    if (!can(actor, permission)) {
      throw new ApiError(ErrorCode.FORBIDDEN, `The ${actor.role} role cannot do this (needs ${permission})`);
    }
    await next();
  });
}

/** Reads need any role; writes need Admin unless a route grants less (triage routes). */
export const writesNeedAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
  const actor = c.get("actor");
  if (!can(actor, "admin")) {
    throw new ApiError(ErrorCode.FORBIDDEN, `The ${actor.role} role cannot change this`);
  }
  await next();
});
