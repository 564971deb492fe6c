import type { OutputType } from "./api/destinations";

/** One field of a destination's `outputConfig`, as the form shows it. */
export interface ConfigField {
  key: string;
  label: string;
  kind: "url" | "text" | "secret" | "select";
  required: boolean;
  hint?: string;
  placeholder?: string;
  options?: readonly string[];
  /** Secrets the form can generate (a webhook signing secret). */
  generate?: "webhook-secret";
}

/** The config fields of each kind of destination (worker/delivery/*.ts has the schemas). */
export const CONFIG_FIELDS: Record<OutputType, readonly ConfigField[]> = {
  customwebhook: [
    { key: "webhookURL", label: "Webhook URL", kind: "url", required: true, placeholder: "https://example.com/hooks/pipewatch" },
    {
      key: "signingSecret",
      label: "Signing secret",
      kind: "secret",
      required: false,
      generate: "webhook-secret",
      hint: "Optional. With one, each request carries Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature): whsec_ and the base64 of 24–64 random bytes.",
    },
  ],
  slack: [{ key: "webhookURL", label: "Incoming webhook URL", kind: "secret", required: true, placeholder: "https://hooks.slack.com/services/…" }],
  msteams: [{ key: "webhookURL", label: "Workflow webhook URL", kind: "secret", required: true, placeholder: "https://…" }],
  pagerduty: [
    { key: "integrationKey", label: "Integration key", kind: "secret", required: true, hint: "The Events API v2 integration key of the service." },
    { key: "apiURL", label: "API URL", kind: "url", required: false, hint: "Optional: replaces https://events.pagerduty.com (a proxy, a test receiver)." },
  ],
  opsgenie: [
    { key: "apiKey", label: "API key", kind: "secret", required: true },
    { key: "serviceRegion", label: "Service region", kind: "select", required: true, options: ["US", "EU"] },
    { key: "apiURL", label: "API URL", kind: "url", required: false, hint: "Optional: replaces the region's Opsgenie API URL." },
  ],
};
