import { z } from "zod";
import type { OutgoingMessage } from "./alert-message";
import { httpUrl, JSON_HEADERS, sendAsIs, type DestinationKind, type OutgoingRequest, type SendContext } from "./kind";

const SECRET_PREFIX = "whsec_";

/** Standard Webhooks secrets: "whsec_" + base64 of 24 to 64 random bytes. */
function secretBytes(secret: string): Uint8Array<ArrayBuffer> | null {
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!secret.startsWith(SECRET_PREFIX) || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return null;
  return Uint8Array.from(atob(encoded), (ch) => ch.charCodeAt(0));
}

const signingSecret = z.string().refine((s) => {
  const bytes = secretBytes(s);
  return bytes !== null && bytes.length >= 24 && bytes.length <= 64;
}, "must be 'whsec_' followed by the base64 of 24 to 64 random bytes");

const schema = z.strictObject({ webhookURL: httpUrl, signingSecret: signingSecret.optional() });
export type CustomWebhookConfig = z.output<typeof schema>;

/**
 * Panther's custom webhook body. For a System Error `id` is its type and `alertContext` holds the
 * related component and the details; `status` says whether this is the alert or its resolution.
 */
export function customWebhookBody(message: OutgoingMessage) {
  const { alert } = message;
  const alertContext: Record<string, unknown> = alert.component
    ? { systemErrorType: alert.systemErrorType, relatedComponent: alert.component, eventCount: alert.eventCount, details: alert.context }
    : alert.context;
  return {
    id: alert.detectionId,
    createdAt: alert.createdAt,
    severity: alert.severity,
    type: alert.type,
    link: alert.url,
    title: alert.title,
    name: alert.title,
    alertId: alert.alertId,
    description: alert.description,
    runbook: alert.runbook,
    tags: alert.tags,
    version: alert.version,
    alertContext,
    status: message.kind === "RESOLVED" ? "RESOLVED" : "OPEN",
    ...(message.kind === "RESOLVED" ? { resolvedAt: alert.resolvedAt, resolution: alert.resolution } : {}),
  };
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the decoded secret. */
export async function standardWebhookSignature(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const bytes = secretBytes(secret);
  if (!bytes) throw new Error("The signing secret is not a whsec_ secret");
  const key = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

export const customWebhook: DestinationKind<CustomWebhookConfig> = {
  schema,
  secretKeys: ["signingSecret"],
  format(message, config): OutgoingRequest {
    return { url: config.webhookURL, method: "POST", headers: { ...JSON_HEADERS }, body: JSON.stringify(customWebhookBody(message)) };
  },
  async send(request, config, ctx: SendContext) {
    if (!config.signingSecret) return sendAsIs(request, ctx);
    // Signed at send time: the timestamp is the attempt's, the id the delivery's (same on retries).
    const timestamp = Math.floor(ctx.now.getTime() / 1000);
    const signature = await standardWebhookSignature(config.signingSecret, ctx.webhookId, timestamp, request.body);
    const headers = { ...request.headers, "webhook-id": ctx.webhookId, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    return sendAsIs({ ...request, headers }, ctx);
  },
};
