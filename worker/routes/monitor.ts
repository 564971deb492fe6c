import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { queryParams } from "../lib/validate";
import { decodeCursor, pageQuery, toPage } from "../lib/pagination";
import { presentFailure } from "../alerts/failures";
import { presentAudit, type AuditRecord } from "../s3/audit";

const failuresQuery = z.object({
  ...pageQuery,
  sourceId: z.string().max(100).optional(),
  status: z.enum(["FAILED", "REPROCESSED", "SKIPPED"]).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
});

const auditQuery = z.object({
  ...pageQuery,
  sourceId: z.string().max(100).optional(),
  status: z.enum(["SUCCESS", "FAILURE"]).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
});

/** The lake's monitor tables, newest first. */
export const monitorRoutes = new Hono<AppEnv>()
  .get("/classification_failures", queryParams(failuresQuery), async (c) => {
  const q = c.req.valid("query");
  const after = decodeCursor(q.cursor);
  const { results } = await c.env.LAKE.prepare(
    `SELECT p_row_id, p_source_id, p_source_label, p_parse_time, payload, payload_length, payload_sha256, error, error_path, schemas_tried, status
     FROM classification_failures
     WHERE (?1 IS NULL OR p_source_id = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR p_parse_time >= ?3)
       AND (?4 IS NULL OR p_parse_time < ?4 OR (p_parse_time = ?4 AND p_row_id < ?5))
     ORDER BY p_parse_time DESC, p_row_id DESC LIMIT ?6`,
  )
    .bind(q.sourceId ?? null, q.status ?? null, q.since ? new Date(q.since).toISOString() : null, after?.k ?? null, after?.id ?? null, q.limit + 1)
    .all<Parameters<typeof presentFailure>[0] & { p_source_id: string; p_source_label: string }>();
  return c.json(
    toPage(results, q.limit, (r) => ({ k: r.p_parse_time, id: r.p_row_id }), (r) => ({
      p_row_id: r.p_row_id,
      p_source_id: r.p_source_id,
      p_source_label: r.p_source_label,
      p_parse_time: r.p_parse_time,
      ...presentFailure(r),
    })),
  );
})
  // One row per S3 object read (Panther's panther_monitor.data_audit).
  .get("/data_audit", queryParams(auditQuery), async (c) => {
    const q = c.req.valid("query");
    const after = decodeCursor(q.cursor);
    const { results } = await c.env.LAKE.prepare(
      `SELECT * FROM data_audit
       WHERE (?1 IS NULL OR p_source_id = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR p_parse_time >= ?3)
         AND (?4 IS NULL OR p_parse_time < ?4 OR (p_parse_time = ?4 AND p_row_id < ?5))
       ORDER BY p_parse_time DESC, p_row_id DESC LIMIT ?6`,
    )
      .bind(q.sourceId ?? null, q.status ?? null, q.since ? new Date(q.since).toISOString() : null, after?.k ?? null, after?.id ?? null, q.limit + 1)
      .all<AuditRecord>();
    return c.json(toPage(results, q.limit, (r) => ({ k: r.p_parse_time, id: r.p_row_id }), presentAudit));
  });
