import { z } from "zod";
import type { OutgoingMessage, Severity } from "./alert-message";
import { apiBaseUrl, clip, describeType, JSON_HEADERS, sendAsIs, type DestinationKind } from "./kind";

const EVENTS_API = "https://events.pagerduty.com";

const schema = z.strictObject({
  // An Events API v2 integration (routing) key: 32 characters.
  integrationKey: z.string().trim().regex(/^[A-Za-z0-9]{32}$/, "must be the 32-character integration key of an Events API v2 integration"),
  apiURL: apiBaseUrl.optional(),
});
export type PagerDutyConfig = z.output<typeof schema>;

/** PagerDuty knows four severities. */
const SEVERITY: Record<Severity, "critical" | "error" | "warning" | "info"> = {
  CRITICAL: "critical",
  HIGH: "error",
  MEDIUM: "warning",
  LOW: "info",
  INFO: "info",
};

/**
 * An Events API v2 event. The alert id is the dedup key, so retries and re-sends update one
 * PagerDuty alert and the resolution resolves it.
 */
export function pagerDutyBody(message: OutgoingMessage, routingKey: string) {
  const { alert } = message;
  const dedupKey = alert.alertId;
  if (message.kind === "RESOLVED") return { routing_key: routingKey, event_action: "resolve", dedup_key: dedupKey };
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: dedupKey,
    client: "Pipewatch",
    client_url: alert.url,
    payload: {
      summary: clip(alert.title, 1024),
      source: alert.component?.label ?? "Pipewatch",
      severity: SEVERITY[alert.severity],
      timestamp: alert.createdAt,
      ...(alert.component ? { component: alert.component.label } : {}),
      class: describeType(message),
      custom_details: {
        description: alert.description,
        alertId: alert.alertId,
        id: alert.detectionId,
        ...(alert.runbook ? { runbook: alert.runbook } : {}),
        ...(alert.tags.length ? { tags: alert.tags } : {}),
        ...(Object.keys(alert.context).length ? { context: alert.context } : {}),
      },
    },
    links: [
      { href: alert.url, text: "View in Pipewatch" },
      ...(alert.component ? [{ href: alert.component.url, text: alert.component.label }] : []),
    ],
  };
}

export const pagerDuty: DestinationKind<PagerDutyConfig> = {
  schema,
  secretKeys: ["integrationKey"],
  format(message, config) {
    return {
      url: `${config.apiURL ?? EVENTS_API}/v2/enqueue`,
      method: "POST",
      headers: { ...JSON_HEADERS },
      body: JSON.stringify(pagerDutyBody(message, config.integrationKey)),
    };
  },
  send: (request, _config, ctx) => sendAsIs(request, ctx),
};
