-- The audit source's events as a view, like every log type (see worker/lake/views.ts).
CREATE VIEW IF NOT EXISTS "pipewatch_audit" AS SELECT p_row_id, p_log_type, p_event_time, p_parse_time, p_source_id, p_source_label, p_any, body,
  json_extract(body, '$."id"') AS "id", json_extract(body, '$."at"') AS "at", json_extract(body, '$."actorId"') AS "actorId",
  json_extract(body, '$."actorName"') AS "actorName", json_extract(body, '$."action"') AS "action",
  json_extract(body, '$."targetType"') AS "targetType", json_extract(body, '$."targetId"') AS "targetId",
  json_extract(body, '$."details"') AS "details", json_extract(body, '$."requestId"') AS "requestId"
FROM events WHERE p_log_type = 'Pipewatch.Audit';
