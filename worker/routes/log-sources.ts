import { Hono, type Context } from "hono";
import { z } from "zod";
import { and, asc, eq, gt, inArray, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { numberVar } from "../env";
import { ApiError, ErrorCode, notFound, type ErrorDetail } from "../errors";
import { logSources, schemas } from "../db/schema";
import { requirePermission } from "../auth/middleware";
import { auditInsert } from "../audit/trail";
import { jsonBody, queryParams, zodDetails } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";
import { isUniqueViolation } from "../db/errors";
import { retireSource, syncMonitor } from "../sources/lifecycle";
import { newSourceRow } from "../sources/source-row";
import {
  authFieldErrors,
  httpSourceCreate,
  httpSourceUpdate,
  mergeUpdate,
  presentHttpSource,
  presentSummary,
  toStored,
  MAX_DROP_OFF_MINUTES,
  type HttpSourceInput,
} from "../sources/http-source";
import { presentS3Source } from "../sources/s3-source";

/** New sources watch for silence by default: 24 hours. */
/** Sub-apps share their prefix with others, so permissions are per route, not `use("*")`. */
const admin = requirePermission("admin");


type SourceRow = typeof logSources.$inferSelect;

const origin = (c: Context<AppEnv>) => new URL(c.req.url).origin;

/** Checks that need storage or configuration: log types that exist, a threshold in range. */
async function semanticErrors(c: Context<AppEnv>, input: HttpSourceInput): Promise<ErrorDetail[]> {
  const errors = authFieldErrors(input);
  const known = await drizzle(c.env.DB).select({ name: schemas.name }).from(schemas).where(inArray(schemas.name, input.logTypes));
  const names = new Set(known.map((k) => k.name));
  input.logTypes.forEach((t, i) => {
    if (!names.has(t)) errors.push({ path: `logTypes[${i}]`, message: `no schema named '${t}'; create it under Schemas first` });
  });
  const min = numberVar(c.env.DROP_OFF_MIN_MINUTES, 15);
  const threshold = input.dropOffAlarm?.minutesThreshold;
  if (threshold !== undefined && (threshold < min || threshold > MAX_DROP_OFF_MINUTES)) {
    errors.push({ path: "dropOffAlarm.minutesThreshold", message: `must be between ${min} and ${MAX_DROP_OFF_MINUTES} minutes` });
  }
  return errors;
}

function invalid(details: ErrorDetail[]): ApiError {
  return new ApiError(ErrorCode.VALIDATION_FAILED, "The log source is not valid", details);
}

function duplicateLabel(label: string): ApiError {
  return new ApiError(ErrorCode.CONFLICT, `A log source labelled '${label}' already exists`, [
    { path: "integrationLabel", message: "already in use" },
  ]);
}

async function loadHttp(c: Context<AppEnv>, id: string): Promise<SourceRow> {
  const row = await drizzle(c.env.DB).select().from(logSources).where(and(eq(logSources.id, id), eq(logSources.type, "http"))).get();
  if (!row) throw notFound("HTTP log source", id);
  return row;
}

/** What the audit trail records of a source: its settings, never its secrets. */
function auditView(input: HttpSourceInput, enabled?: boolean) {
  const { authSecretValue: _s, authBearerToken: _b, authPassword: _p, ...rest } = input;
  return enabled === undefined ? rest : { ...rest, enabled };
}

const listQuery = z.object({ ...pageQuery, type: z.enum(["http", "s3", "audit"]).optional() });

export async function listSources(c: Context<AppEnv>, type: SourceRow["type"] | undefined, limit: number, cursor?: string) {
  const after = decodeCursor(cursor);
  const rows = await drizzle(c.env.DB)
    .select()
    .from(logSources)
    .where(
      and(
        type ? eq(logSources.type, type) : undefined,
        after ? or(gt(logSources.label, after.k), and(eq(logSources.label, after.k), gt(logSources.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(logSources.label), asc(logSources.id))
    .limit(limit + 1);
  return rows;
}

export const logSourceRoutes = new Hono<AppEnv>()
  .get("/", queryParams(listQuery), async (c) => {
    const { limit, cursor, type } = c.req.valid("query");
    const rows = await listSources(c, type, limit, cursor);
    return c.json(toPage(rows, limit, (r) => ({ k: r.label, id: r.id }), presentSummary));
  })
  .get("/http", queryParams(z.object(pageQuery)), async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const rows = await listSources(c, "http", limit, cursor);
    return c.json(toPage(rows, limit, (r) => ({ k: r.label, id: r.id }), (r) => presentHttpSource(r, origin(c))));
  })
  .post("/http", admin, jsonBody(httpSourceCreate), async (c) => {
    const input = c.req.valid("json");
    const errors = await semanticErrors(c, input);
    if (errors.length) throw invalid(errors);
    const { config, secrets } = toStored(input);
    const row = newSourceRow(
      { type: "http", label: input.integrationLabel, logTypes: input.logTypes, logStreamType: input.logStreamType, config, secrets, createdBy: c.get("actor").name },
      input.dropOffAlarm,
    );
    const db = drizzle(c.env.DB);
    try {
      await db.batch([
        db.insert(logSources).values(row),
        auditInsert(c, { action: "log_source.create", targetType: "log_source", targetId: row.id, details: auditView(input) }),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateLabel(input.integrationLabel);
      throw err;
    }
    await syncMonitor(c.env, row);
    return c.json(presentHttpSource(row, origin(c)), 201);
  })
  .get("/http/:id", async (c) => c.json(presentHttpSource(await loadHttp(c, c.req.param("id")), origin(c))))
  .put("/http/:id", admin, jsonBody(httpSourceUpdate), async (c) => {
    const row = await loadHttp(c, c.req.param("id"));
    const update = c.req.valid("json");
    const merged = mergeUpdate(row, update);
    const reparsed = httpSourceCreate.safeParse(merged);
    if (!reparsed.success) {
      throw invalid(zodDetails(reparsed.error));
    }
    const errors = await semanticErrors(c, reparsed.data);
    if (errors.length) throw invalid(errors);
    const input = reparsed.data;
    const { config, secrets } = toStored(input);
    const next: SourceRow = {
      ...row,
      label: input.integrationLabel,
      logTypes: input.logTypes,
      logStreamType: input.logStreamType,
      enabled: update.enabled ?? row.enabled,
      config,
      secrets,
      dropOffMinutes: input.dropOffAlarm?.minutesThreshold ?? null,
      updatedAt: new Date().toISOString(),
    };
    const db = drizzle(c.env.DB);
    try {
      await db.batch([
        db.update(logSources).set(next).where(eq(logSources.id, row.id)),
        auditInsert(c, { action: "log_source.update", targetType: "log_source", targetId: row.id, details: auditView(input, update.enabled) }),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateLabel(input.integrationLabel);
      throw err;
    }
    await syncMonitor(c.env, next);
    return c.json(presentHttpSource(next, origin(c)));
  })
  .delete("/http/:id", admin, async (c) => {
    const row = await loadHttp(c, c.req.param("id"));
    const db = drizzle(c.env.DB);
    await db.batch([
      db.delete(logSources).where(eq(logSources.id, row.id)),
      auditInsert(c, { action: "log_source.delete", targetType: "log_source", targetId: row.id, details: { integrationLabel: row.label } }),
    ]);
    await retireSource(c.env, row, c.get("actor"));
    return c.json({ integrationId: row.id, deleted: true });
  })
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    const row = await drizzle(c.env.DB).select().from(logSources).where(eq(logSources.id, id)).get();
    if (!row) throw notFound("Log source", id);
    if (row.type === "http") return c.json(presentHttpSource(row, origin(c)));
    return c.json(row.type === "s3" ? presentS3Source(row) : presentSummary(row));
  });
