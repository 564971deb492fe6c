import { z } from "zod";
import type { OutgoingMessage } from "./alert-message";
import { clip, componentKindLabel, describeType, headline, httpUrl, JSON_HEADERS, sendAsIs, SEVERITY_LABEL, type DestinationKind } from "./kind";

// The webhook URL embeds the channel's token: it is a secret.
const schema = z.strictObject({ webhookURL: httpUrl });
export type SlackConfig = z.output<typeof schema>;

/** Slack reads &, < and > as markup (`<!channel>` would ping everyone): escape what we did not write. */
const escape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });

const ICON = { ALERT: ":rotating_light:", RESOLVED: ":white_check_mark:", TEST: ":wave:" } as const;

/**
 * An incoming-webhook message: Block Kit blocks for people, `text` as the fallback shown in
 * notifications. Limits: header 150 characters, section text 3,000, field text 2,000.
 */
export function slackBody(message: OutgoingMessage) {
  const { alert } = message;
  const fields = [
    mrkdwn(`*Severity*\n${SEVERITY_LABEL[alert.severity]}`),
    mrkdwn(`*Type*\n${escape(describeType(message))}`),
    mrkdwn(`*Created*\n${alert.createdAt}`),
  ];
  if (alert.component) fields.push(mrkdwn(`*${componentKindLabel(alert.component.kind)}*\n<${alert.component.url}|${escape(alert.component.label)}>`));
  if (message.kind === "RESOLVED" && alert.resolvedAt) fields.push(mrkdwn(`*Resolved*\n${alert.resolvedAt}`));
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: clip(`${ICON[message.kind]} ${headline(message)}`, 150), emoji: true } },
    { type: "section", text: mrkdwn(clip(escape(message.kind === "RESOLVED" && alert.resolution ? alert.resolution : alert.description) || "_No description_", 3000)) },
    { type: "section", fields: fields.map((f) => ({ ...f, text: clip(f.text, 2000) })) },
  ];
  if (alert.runbook) blocks.push({ type: "section", text: mrkdwn(clip(`*Runbook*\n${escape(alert.runbook)}`, 3000)) });
  blocks.push({ type: "context", elements: [mrkdwn(`<${alert.url}|View in Pipewatch> · alert ${escape(alert.alertId)}`)] });
  return { text: clip(headline(message), 3000), blocks };
}

export const slack: DestinationKind<SlackConfig> = {
  schema,
  secretKeys: ["webhookURL"],
  format(message, config) {
    return { url: config.webhookURL, method: "POST", headers: { ...JSON_HEADERS }, body: JSON.stringify(slackBody(message)) };
  },
  send: (request, _config, ctx) => sendAsIs(request, ctx),
};
