import { z } from "zod";
import type { OutgoingMessage } from "./alert-message";
import { clip, componentKindLabel, describeType, headline, httpUrl, JSON_HEADERS, sendAsIs, SEVERITY_LABEL, type DestinationKind } from "./kind";

// A Teams Workflows webhook URL carries its signature (sig=...): it is a secret.
const schema = z.strictObject({ webhookURL: httpUrl });
export type MsTeamsConfig = z.output<typeof schema>;

const COLOR = { ALERT: "Attention", RESOLVED: "Good", TEST: "Accent" } as const;

/**
 * A Workflows ("When a Teams webhook request is received") message: one Adaptive Card
 * attachment. Workflows accept Adaptive Cards only, not the old connector MessageCard.
 */
export function msTeamsBody(message: OutgoingMessage) {
  const { alert } = message;
  const facts = [
    { title: "Severity", value: SEVERITY_LABEL[alert.severity] },
    { title: "Type", value: describeType(message) },
    { title: "Created", value: alert.createdAt },
  ];
  if (alert.component) facts.push({ title: componentKindLabel(alert.component.kind), value: `[${alert.component.label}](${alert.component.url})` });
  if (message.kind === "RESOLVED" && alert.resolvedAt) facts.push({ title: "Resolved", value: alert.resolvedAt });
  const text = message.kind === "RESOLVED" && alert.resolution ? alert.resolution : alert.description;
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body: [
            { type: "TextBlock", text: clip(headline(message), 500), size: "Large", weight: "Bolder", color: COLOR[message.kind], wrap: true },
            { type: "TextBlock", text: clip(text || "No description", 5000), wrap: true },
            { type: "FactSet", facts },
            ...(alert.runbook ? [{ type: "TextBlock", text: clip(`**Runbook:** ${alert.runbook}`, 5000), wrap: true }] : []),
          ],
          actions: [{ type: "Action.OpenUrl", title: "View in Pipewatch", url: alert.url }],
        },
      },
    ],
  };
}

export const msTeams: DestinationKind<MsTeamsConfig> = {
  schema,
  secretKeys: ["webhookURL"],
  format(message, config) {
    return { url: config.webhookURL, method: "POST", headers: { ...JSON_HEADERS }, body: JSON.stringify(msTeamsBody(message)) };
  },
  send: (request, _config, ctx) => sendAsIs(request, ctx),
};
