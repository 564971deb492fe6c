import { z } from "zod";
import type { OutgoingMessage, Severity } from "./alert-message";
import { apiBaseUrl, clip, describeType, JSON_HEADERS, sendAsIs, type DestinationKind } from "./kind";

const BASE = { US: "https://api.opsgenie.com", EU: "https://api.eu.opsgenie.com" } as const;

const schema = z.strictObject({
  // The key of an API integration (a UUID); account-level keys cannot create alerts.
  apiKey: z.string().trim().regex(/^[A-Za-z0-9-]{8,128}$/, "must be the API key of an Opsgenie API integration"),
  serviceRegion: z.enum(["US", "EU"]),
  apiURL: apiBaseUrl.optional(),
});
export type OpsgenieConfig = z.output<typeof schema>;

const PRIORITY: Record<Severity, "P1" | "P2" | "P3" | "P4" | "P5"> = { CRITICAL: "P1", HIGH: "P2", MEDIUM: "P3", LOW: "P4", INFO: "P5" };

/** Opsgenie wants details as a flat string map. */
function details(message: OutgoingMessage): Record<string, string> {
  const { alert } = message;
  const out: Record<string, string> = { alertId: alert.alertId, id: alert.detectionId, type: describeType(message), link: alert.url };
  if (alert.component) Object.assign(out, { component: alert.component.label, componentLink: alert.component.url });
  if (alert.runbook) out.runbook = alert.runbook;
  for (const [k, v] of Object.entries(alert.context)) out[`context.${k}`] = clip(typeof v === "string" ? v : JSON.stringify(v), 1000);
  return out;
}

/**
 * Alert API v2: create an alert whose alias is the alert id (so repeats deduplicate), or close it
 * by that alias. Limits: message 130 characters, alias 512, description 15,000.
 */
export function opsgenieRequest(message: OutgoingMessage): { path: string; body: Record<string, unknown> } {
  const { alert } = message;
  const alias = clip(alert.alertId, 512);
  if (message.kind === "RESOLVED") {
    return {
      path: `/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`,
      body: { source: "Pipewatch", note: clip(alert.resolution ?? "Resolved in Pipewatch", 25000) },
    };
  }
  return {
    path: "/v2/alerts",
    body: {
      message: clip(alert.title, 130),
      alias,
      description: clip(`${alert.description}\n\n${alert.url}`, 15000),
      tags: alert.tags.slice(0, 20),
      details: details(message),
      ...(alert.component ? { entity: clip(alert.component.label, 512) } : {}),
      source: "Pipewatch",
      priority: PRIORITY[alert.severity],
    },
  };
}

export const opsgenie: DestinationKind<OpsgenieConfig> = {
  schema,
  secretKeys: ["apiKey"],
  format(message, config) {
    const { path, body } = opsgenieRequest(message);
    return {
      url: `${config.apiURL ?? BASE[config.serviceRegion]}${path}`,
      method: "POST",
      headers: { ...JSON_HEADERS, authorization: `GenieKey ${config.apiKey}` },
      body: JSON.stringify(body),
    };
  },
  send: (request, _config, ctx) => sendAsIs(request, ctx),
};
