import { Hono } from "hono";
import { z } from "zod";
import { and, asc, eq, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AppEnv } from "../env";
import { ApiError, ErrorCode, notFound } from "../errors";
import { schemas } from "../db/schema";
import { requirePermission } from "../auth/middleware";
import { auditInsert } from "../audit/trail";
import { jsonBody, queryParams } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";
import { logTypeName } from "../sources/http-source";
import { parseSchemaSpec } from "../classify/spec";
import { viewStatements } from "../lake/views";
import { Classifier, compiledFor } from "../classify/classifier";
import { compileSchema } from "../classify/compile";
import { toStoredEvent } from "../classify/standard-fields";

const testSchema = z.strictObject({
  /** A draft spec to try instead of the saved one. */
  spec: z.string().min(1).max(512 * 1024).optional(),
  lines: z.array(z.string().max(1024 * 1024)).min(1).max(1000),
});

type SchemaRow = typeof schemas.$inferSelect;

const putSchema = z.strictObject({
  spec: z.string().min(1).max(512 * 1024),
  description: z.string().max(2000).optional(),
  referenceURL: z.union([z.url({ protocol: /^https?$/ }), z.literal("")]).optional(),
});

function present(row: SchemaRow) {
  return {
    name: row.name,
    description: row.description,
    referenceURL: row.referenceUrl,
    spec: row.spec,
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function checkName(name: string) {
  const parsed = logTypeName.safeParse(name);
  if (!parsed.success) {
    throw new ApiError(ErrorCode.VALIDATION_FAILED, `'${name}' is not a valid schema name`, [
      { path: "name", message: parsed.error.issues[0].message },
    ]);
  }
}

/** Sub-apps share their prefix with others, so permissions are per route, not `use("*")`. */
const admin = requirePermission("admin");

export const schemaRoutes = new Hono<AppEnv>()
  .get("/", queryParams(z.object(pageQuery)), async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const rows = await drizzle(c.env.DB)
      .select()
      .from(schemas)
      .where(after ? gt(schemas.name, after.k) : undefined)
      .orderBy(asc(schemas.name))
      .limit(limit + 1);
    return c.json(toPage(rows, limit, (r) => ({ k: r.name, id: r.name }), present));
  })
  .get("/:name", async (c) => {
    const name = c.req.param("name");
    const row = await drizzle(c.env.DB).select().from(schemas).where(eq(schemas.name, name)).get();
    if (!row) throw notFound("Schema", name);
    return c.json(present(row));
  })
  .post("/:name/test", jsonBody(testSchema), async (c) => {
    const name = c.req.param("name");
    checkName(name);
    const body = c.req.valid("json");
    let compiled;
    if (body.spec !== undefined) {
      const parsed = parseSchemaSpec(body.spec);
      if (!parsed.ok) {
        throw new ApiError(ErrorCode.VALIDATION_FAILED, "The draft spec is not valid", parsed.errors.map((e) => ({ path: e.path ? `spec.${e.path}` : "spec", message: e.message })));
      }
      compiled = compileSchema(name, parsed.spec);
    } else {
      const row = await drizzle(c.env.DB).select().from(schemas).where(eq(schemas.name, name)).get();
      if (!row) throw notFound("Schema", name);
      compiled = compiledFor(row.name, row.revision, row.spec);
    }
    const classifier = new Classifier([compiled]);
    const now = new Date().toISOString();
    // Each line exactly as ingest would store it, standard fields included.
    const results = body.lines.map((line, i) => {
      if (line.trim() === "") return { line, matched: false, error: "blank line: skipped at ingest, not a failure" };
      const outcome = classifier.classify(line);
      return outcome.ok
        ? { line, matched: true, event: toStoredEvent(outcome.value, { rowId: `test-${i}`, parseTime: now, sourceId: "test", sourceLabel: "Schema test" }) }
        : { line, matched: false, error: outcome.failure.error, errorPath: outcome.failure.path };
    });
    const matched = results.filter((r) => r.matched).length;
    return c.json({ matched, unmatched: results.length - matched, results });
  })
  .put("/:name", admin, jsonBody(putSchema), async (c) => {
    const name = c.req.param("name");
    checkName(name);
    const body = c.req.valid("json");
    const parsed = parseSchemaSpec(body.spec);
    if (!parsed.ok) {
      throw new ApiError(
        ErrorCode.VALIDATION_FAILED,
        `The schema spec has ${parsed.errors.length} error${parsed.errors.length === 1 ? "" : "s"}`,
        parsed.errors.map((e) => ({ path: e.path ? `spec.${e.path}` : "spec", message: e.message })),
      );
    }
    if (parsed.spec.schema !== undefined && parsed.spec.schema !== name) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The spec names another schema", [
        { path: "spec.schema", message: `is '${parsed.spec.schema}' but the schema is saved as '${name}'` },
      ]);
    }
    const db = drizzle(c.env.DB);
    const existing = await db.select().from(schemas).where(eq(schemas.name, name)).get();
    const now = new Date().toISOString();
    const row: SchemaRow = {
      name,
      description: body.description ?? existing?.description ?? "",
      referenceUrl: body.referenceURL ?? existing?.referenceUrl ?? "",
      spec: body.spec,
      revision: (existing?.revision ?? 0) + 1,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    // The revision guard makes concurrent saves conflict instead of silently overwriting.
    const write = existing
      ? db.update(schemas).set(row).where(and(eq(schemas.name, name), eq(schemas.revision, existing.revision)))
      : db.insert(schemas).values(row).onConflictDoNothing();
    const [result] = await db.batch([
      write,
      auditInsert(c, { action: existing ? "schema.update" : "schema.create", targetType: "schema", targetId: name, details: { revision: row.revision } }),
    ]);
    if (result.meta.changes === 0) {
      throw new ApiError(ErrorCode.CONFLICT, `Schema '${name}' was changed by someone else meanwhile; reload and save again`);
    }
    const views = viewStatements(name, parsed.spec.fields.map((f) => f.name));
    await c.env.LAKE.batch(views.map((sql) => c.env.LAKE.prepare(sql)));
    return c.json(present(row), existing ? 200 : 201);
  });
