import { describe, expect, it } from "vitest";
import { toStoredEvent } from "./standard-fields";

const meta = { rowId: "b1:0", parseTime: "2024-03-01T12:00:00.000Z", sourceId: "src-1", sourceLabel: "Prod CloudTrail" };

describe("toStoredEvent", () => {
  it("adds the p_ fields and the non-empty p_any_* arrays", () => {
    const stored = toStoredEvent(
      {
        logType: "AWS.CloudTrail",
        event: { eventName: "GetObject" },
        eventTime: "2024-03-01T11:59:00.000Z",
        indicators: { p_any_ip_addresses: ["10.0.0.1"], p_any_domain_names: [] },
      },
      meta,
    );
    expect(stored).toEqual({
      eventName: "GetObject",
      p_log_type: "AWS.CloudTrail",
      p_row_id: "b1:0",
      p_event_time: "2024-03-01T11:59:00.000Z",
      p_parse_time: "2024-03-01T12:00:00.000Z",
      p_source_id: "src-1",
      p_source_label: "Prod CloudTrail",
      p_any_ip_addresses: ["10.0.0.1"],
    });
  });

  it("uses the parse time when the event has no event time", () => {
    const stored = toStoredEvent({ logType: "Custom.App", event: {}, eventTime: null, indicators: {} }, meta);
    expect(stored.p_event_time).toBe(meta.parseTime);
  });

  it("leaves the classified event as it was", () => {
    const event = { a: 1 };
    toStoredEvent({ logType: "Custom.App", event, eventTime: null, indicators: {} }, meta);
    expect(event).toEqual({ a: 1 });
  });
});
