/**
 * Each log type is queryable as a view over the shared events table, named as Panther names its
 * tables (AWS.CloudTrail → aws_cloudtrail), with the schema's top-level fields as columns.
 */
export function viewName(logType: string): string {
  return logType.toLowerCase().replaceAll(".", "_");
}

const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

// D1 allows 100 columns; the p_ fields take 8 of them.
const MAX_FIELD_COLUMNS = 90;
const P_COLUMNS = ["p_row_id", "p_log_type", "p_event_time", "p_parse_time", "p_source_id", "p_source_label", "p_any", "body"];

/** DROP + CREATE statements for a log type's view; run them together in one batch. */
export function viewStatements(logType: string, topLevelFields: string[]): string[] {
  const fields = topLevelFields.filter((f) => !P_COLUMNS.includes(f)).slice(0, MAX_FIELD_COLUMNS);
  const columns = [
    ...P_COLUMNS,
    ...fields.map((f) => `json_extract(body, ${literal(`$.${JSON.stringify(f)}`)}) AS ${quote(f)}`),
  ];
  const name = quote(viewName(logType));
  return [
    `DROP VIEW IF EXISTS ${name}`,
    `CREATE VIEW ${name} AS SELECT ${columns.join(", ")} FROM events WHERE p_log_type = ${literal(logType)}`,
  ];
}
