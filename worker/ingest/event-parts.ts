import type { ClassifiedEvent } from "../classify/classifier";
import type { EventRow } from "../lake/writer";

/** A classified event as the lake stores it: p_ fields as columns, the event as its body. */
export function toStoredEventParts(
  ev: ClassifiedEvent,
  rowId: string,
  target: { sourceId: string; sourceLabel: string; receivedAt: string },
): EventRow {
  return {
    rowId,
    logType: ev.logType,
    eventTime: ev.eventTime ?? target.receivedAt,
    parseTime: target.receivedAt,
    sourceId: target.sourceId,
    sourceLabel: target.sourceLabel,
    pAny: Object.keys(ev.indicators).length ? ev.indicators : null,
    body: ev.event,
  };
}
