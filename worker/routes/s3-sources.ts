import { Hono, type Context } from "hono";
import { z } from "zod";
import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { numberVar } from "../env";
import { ApiError, ErrorCode, notFound, type ErrorDetail } from "../errors";
import { logSources, schemas } from "../db/schema";
import { requirePermission } from "../auth/middleware";
import { auditInsert } from "../audit/trail";
import { jsonBody, queryParams, zodDetails } from "../lib/validate";
import { pageQuery, toPage } from "../lib/pagination";
import { isUniqueViolation } from "../db/errors";
import { retireSource, syncMonitor } from "../sources/lifecycle";
import { MAX_DROP_OFF_MINUTES } from "../sources/http-source";
import {
  allLogTypes,
  mergeS3Update,
  presentS3Source,
  s3AuditView,
  s3FieldErrors,
  s3SourceCreate,
  s3SourceUpdate,
  toStoredS3,
  type S3SourceInput,
} from "../sources/s3-source";
import { forgetListings } from "../s3/ledger";
import { listSources } from "./log-sources";
import { newSourceRow } from "../sources/source-row";

type SourceRow = typeof logSources.$inferSelect;

/** Sub-apps share their prefix with others, so permissions are per route, not `use("*")`. */
const admin = requirePermission("admin");

/** Checks that need storage or configuration: log types that exist, a threshold in range. */
async function semanticErrors(c: Context<AppEnv>, input: S3SourceInput): Promise<ErrorDetail[]> {
  const errors = s3FieldErrors(input);
  const known = await drizzle(c.env.DB).select({ name: schemas.name }).from(schemas).where(inArray(schemas.name, allLogTypes(input)));
  const names = new Set(known.map((k) => k.name));
  input.s3PrefixLogTypes.forEach((route, i) =>
    route.logTypes.forEach((t, j) => {
      if (!names.has(t)) errors.push({ path: `s3PrefixLogTypes[${i}].logTypes[${j}]`, message: `no schema named '${t}'; create it under Schemas first` });
    }),
  );
  const min = numberVar(c.env.DROP_OFF_MIN_MINUTES, 15);
  const threshold = input.dropOffAlarm?.minutesThreshold;
  if (threshold !== undefined && (threshold < min || threshold > MAX_DROP_OFF_MINUTES)) {
    errors.push({ path: "dropOffAlarm.minutesThreshold", message: `must be between ${min} and ${MAX_DROP_OFF_MINUTES} minutes` });
  }
  return errors;
}

const invalid = (details: ErrorDetail[]) => new ApiError(ErrorCode.VALIDATION_FAILED, "The log source is not valid", details);

const duplicateLabel = (label: string) =>
  new ApiError(ErrorCode.CONFLICT, `A log source labelled '${label}' already exists`, [{ path: "integrationLabel", message: "already in use" }]);

async function loadS3(c: Context<AppEnv>, id: string): Promise<SourceRow> {
  const row = await drizzle(c.env.DB).select().from(logSources).where(and(eq(logSources.id, id), eq(logSources.type, "s3"))).get();
  if (!row) throw notFound("S3 log source", id);
  return row;
}

/** Writes a source row with its audit entry in one batch; a taken label is a 409. */
async function save(c: Context<AppEnv>, row: SourceRow, write: "insert" | "update", details: Record<string, unknown>) {
  const db = drizzle(c.env.DB);
  const change = write === "insert" ? db.insert(logSources).values(row) : db.update(logSources).set(row).where(eq(logSources.id, row.id));
  try {
    await db.batch([change, auditInsert(c, { action: `log_source.${write === "insert" ? "create" : "update"}`, targetType: "log_source", targetId: row.id, details })]);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateLabel(row.label);
    throw err;
  }
  await syncMonitor(c.env, row);
}

/** /api/log-sources/s3: sources that Pipewatch polls in a bucket (API.md, Log sources). */
export const s3SourceRoutes = new Hono<AppEnv>()
  .get("/s3", queryParams(z.object(pageQuery)), async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const rows = await listSources(c, "s3", limit, cursor);
    return c.json(toPage(rows, limit, (r) => ({ k: r.label, id: r.id }), presentS3Source));
  })
  .post("/s3", admin, jsonBody(s3SourceCreate), async (c) => {
    const input = c.req.valid("json");
    const errors = await semanticErrors(c, input);
    if (errors.length) throw invalid(errors);
    const row = newSourceRow(
      { type: "s3", label: input.integrationLabel, logTypes: allLogTypes(input), logStreamType: input.logStreamType, ...toStoredS3(input), createdBy: c.get("actor").name },
      input.dropOffAlarm,
    );
    await save(c, row, "insert", s3AuditView(input));
    return c.json(presentS3Source(row), 201);
  })
  .get("/s3/:id", async (c) => c.json(presentS3Source(await loadS3(c, c.req.param("id")))))
  .put("/s3/:id", admin, jsonBody(s3SourceUpdate), async (c) => {
    const row = await loadS3(c, c.req.param("id"));
    const update = c.req.valid("json");
    const reparsed = s3SourceCreate.safeParse(mergeS3Update(row, update));
    if (!reparsed.success) throw invalid(zodDetails(reparsed.error));
    const input = reparsed.data;
    const errors = await semanticErrors(c, input);
    if (errors.length) throw invalid(errors);
    const next: SourceRow = {
      ...row,
      label: input.integrationLabel,
      logTypes: allLogTypes(input),
      logStreamType: input.logStreamType,
      enabled: update.enabled ?? row.enabled,
      ...toStoredS3(input),
      dropOffMinutes: input.dropOffAlarm?.minutesThreshold ?? null,
      updatedAt: new Date().toISOString(),
      // Results of checks against the old settings say nothing about the new ones.
      healthChecks: null,
    };
    await save(c, next, "update", s3AuditView(input, update.enabled));
    return c.json(presentS3Source(next));
  })
  .delete("/s3/:id", admin, async (c) => {
    const row = await loadS3(c, c.req.param("id"));
    const db = drizzle(c.env.DB);
    await db.batch([
      db.delete(logSources).where(eq(logSources.id, row.id)),
      auditInsert(c, { action: "log_source.delete", targetType: "log_source", targetId: row.id, details: { integrationLabel: row.label } }),
    ]);
    await retireSource(c.env, row, c.get("actor"));
    await forgetListings(c.env, row.id);
    return c.json({ integrationId: row.id, deleted: true });
  });
