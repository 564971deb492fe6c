import { asc, gte } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditLog } from "../db/schema";
import { chunkStatements, type EventRow } from "./writer";

export const AUDIT_SOURCE_ID = "audit";
export const AUDIT_LOG_TYPE = "Pipewatch.Audit";
const PAGE = 500;

/**
 * Copies the audit trail into the lake as Pipewatch.Audit events of the built-in audit source,
 * so changes to Pipewatch are searchable beside the logs. Runs every minute; picks up from the
 * newest mirrored entry (entries with the same instant are re-sent and ignored by their row id).
 */
export async function mirrorAuditTrail(env: Env): Promise<number> {
  const newest = await env.LAKE.prepare("SELECT max(p_parse_time) AS t FROM events WHERE p_source_id = ?").bind(AUDIT_SOURCE_ID).first<{ t: string | null }>();
  let since = newest?.t ?? "";
  let copied = 0;
  for (let page = 0; page < 20; page++) {
    const rows = await drizzle(env.DB).select().from(auditLog).where(gte(auditLog.at, since)).orderBy(asc(auditLog.at), asc(auditLog.id)).limit(PAGE);
    if (rows.length === 0) break;
    const events: EventRow[] = rows.map((r) => ({
      rowId: `audit-${r.id}`,
      logType: AUDIT_LOG_TYPE,
      eventTime: r.at,
      parseTime: r.at,
      sourceId: AUDIT_SOURCE_ID,
      sourceLabel: "Pipewatch Audit Log",
      pAny: null,
      body: { id: r.id, at: r.at, actorId: r.actorId, actorName: r.actorName, action: r.action, targetType: r.targetType, targetId: r.targetId, details: r.details, requestId: r.requestId },
    }));
    await env.LAKE.batch(chunkStatements(env.LAKE, events, []));
    copied += rows.length;
    const last = rows[rows.length - 1].at;
    if (rows.length < PAGE || last === since) break;
    since = last;
  }
  return copied;
}
