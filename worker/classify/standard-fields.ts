import type { ClassifiedEvent } from "./classifier";

// The `p_` fields every stored event carries (Panther's standard fields), added after
// classification: the shell supplies ids and times, this stays pure.

export interface StoredEventMeta {
  rowId: string;
  /** ISO-8601 UTC, as the event's timestamps are. */
  parseTime: string;
  sourceId: string;
  sourceLabel: string;
}

/** The event as stored: its fields, then p_log_type … p_source_label and the non-empty p_any_*. */
export function toStoredEvent(ev: ClassifiedEvent, meta: StoredEventMeta): Record<string, unknown> {
  const stored: Record<string, unknown> = {
    ...ev.event,
    p_log_type: ev.logType,
    p_row_id: meta.rowId,
    p_event_time: ev.eventTime ?? meta.parseTime,
    p_parse_time: meta.parseTime,
    p_source_id: meta.sourceId,
    p_source_label: meta.sourceLabel,
  };
  for (const [field, values] of Object.entries(ev.indicators)) {
    if (values.length > 0) stored[field] = values;
  }
  return stored;
}
