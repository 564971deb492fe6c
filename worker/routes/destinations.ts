import { Hono, type Context } from "hono";
import { z } from "zod";
import { and, asc, eq, gt, inArray, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode, notFound, type ErrorDetail } from "../errors";
import { deliveries, destinations } from "../db/schema";
import { writesNeedAdmin } from "../auth/middleware";
import { auditInsert } from "../audit/trail";
import { jsonBody, queryParams } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";
import { isUniqueViolation } from "../db/errors";
import { resolveSystemError } from "../alerts/system-errors";
import {
  auditView,
  checkConfig,
  destinationCreate,
  destinationUpdate,
  mergeUpdate,
  presentDestination,
  type DestinationRow,
  type ValidDestination,
} from "../delivery/destination-input";
import { presentDelivery } from "../delivery/records";
import { sendTestAlert } from "../delivery/test-alert";

function invalid(details: ErrorDetail[]): ApiError {
  return new ApiError(ErrorCode.VALIDATION_FAILED, "The alert destination is not valid", details);
}

function duplicateName(name: string): ApiError {
  return new ApiError(ErrorCode.CONFLICT, `An alert destination named '${name}' already exists`, [{ path: "displayName", message: "already in use" }]);
}

async function load(c: Context<AppEnv>, id: string): Promise<DestinationRow> {
  const row = await drizzle(c.env.DB).select().from(destinations).where(eq(destinations.id, id)).get();
  if (!row) throw notFound("Alert destination", id);
  return row;
}

function valid(result: { value?: ValidDestination; errors: ErrorDetail[] }): ValidDestination {
  if (!result.value || result.errors.length) throw invalid(result.errors);
  return result.value;
}

export const destinationRoutes = new Hono<AppEnv>()
  .use("*", writesNeedAdmin)
  .get("/", queryParams(z.object(pageQuery)), async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const rows = await drizzle(c.env.DB)
      .select()
      .from(destinations)
      .where(after ? or(gt(destinations.displayName, after.k), and(eq(destinations.displayName, after.k), gt(destinations.id, after.id))) : undefined)
      .orderBy(asc(destinations.displayName), asc(destinations.id))
      .limit(limit + 1);
    return c.json(toPage(rows, limit, (r) => ({ k: r.displayName, id: r.id }), presentDestination));
  })
  .post("/", jsonBody(destinationCreate), async (c) => {
    const value = valid(checkConfig(c.req.valid("json")));
    const now = new Date().toISOString();
    const row: DestinationRow = {
      id: crypto.randomUUID(),
      ...value,
      consecutiveFailures: 0,
      createdAt: now,
      createdBy: c.get("actor").name,
      updatedAt: now,
    };
    const db = drizzle(c.env.DB);
    try {
      await db.batch([
        db.insert(destinations).values(row),
        auditInsert(c, { action: "destination.create", targetType: "destination", targetId: row.id, details: auditView(value) }),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateName(value.displayName);
      throw err;
    }
    return c.json(presentDestination(row), 201);
  })
  .get("/:id", async (c) => c.json(presentDestination(await load(c, c.req.param("id")))))
  .put("/:id", jsonBody(destinationUpdate), async (c) => {
    const row = await load(c, c.req.param("id"));
    const merged = mergeUpdate(row, c.req.valid("json"));
    const checked = checkConfig(merged.input);
    // A field the merge already found wrong is reported once, by the merge.
    const followOn = (path: string) => merged.errors.some((e) => path === e.path || path.startsWith(`${e.path}.`));
    const value = valid({ value: checked.value, errors: [...merged.errors, ...checked.errors.filter((e) => !followOn(e.path))] });
    const next: DestinationRow = { ...row, ...value, updatedAt: new Date().toISOString() };
    const db = drizzle(c.env.DB);
    try {
      await db.batch([
        db.update(destinations).set(next).where(eq(destinations.id, row.id)),
        auditInsert(c, { action: "destination.update", targetType: "destination", targetId: row.id, details: auditView(value) }),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateName(value.displayName);
      throw err;
    }
    return c.json(presentDestination(next));
  })
  .delete("/:id", async (c) => {
    const row = await load(c, c.req.param("id"));
    const db = drizzle(c.env.DB);
    await db.batch([
      db.delete(destinations).where(eq(destinations.id, row.id)),
      // Queued deliveries to it can no longer be made: list them as failed now.
      db
        .update(deliveries)
        .set({ status: "FAILED", success: false, nextAttemptAt: null, message: "The destination was deleted" })
        .where(and(eq(deliveries.outputId, row.id), inArray(deliveries.status, ["PENDING", "RETRYING"]))),
      auditInsert(c, { action: "destination.delete", targetType: "destination", targetId: row.id, details: { displayName: row.displayName, outputType: row.outputType } }),
    ]);
    await resolveSystemError(c.env, "ALERT_DELIVERY", row.id, { by: c.get("actor"), reason: `The destination ${row.displayName} was deleted.` });
    return c.json({ outputId: row.id, deleted: true });
  })
  .post("/:id/test", async (c) => {
    const row = await load(c, c.req.param("id"));
    const delivery = await sendTestAlert(c.env, row);
    return c.json(presentDelivery(delivery, row));
  });
