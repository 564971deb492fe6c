import { z } from "zod";
import type { OutgoingMessage } from "./alert-message";

/** One HTTP request to a destination, as a formatter builds it. */
export interface OutgoingRequest {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

/** What a kind's sender gets besides the request: the injected fetch and the attempt's context. */
export interface SendContext {
  fetch: typeof fetch;
  /** The delivery's webhook id: the same on every retry, so receivers can deduplicate. */
  webhookId: string;
  now: Date;
  /** Aborts the attempt at its timeout. */
  signal: AbortSignal;
}

/**
 * A kind of destination: how its configuration is validated, which of its fields are secrets
 * (write-only in the API), how an alert becomes a request (pure), and how that request is sent.
 * Methods, not function properties, so the registry can hold every kind under one type.
 */
export interface DestinationKind<Config> {
  /** A strict schema: unknown fields are errors, with their path. */
  schema: z.ZodType<Config>;
  secretKeys: readonly (keyof Config & string)[];
  format(message: OutgoingMessage, config: Config): OutgoingRequest;
  send(request: OutgoingRequest, config: Config, ctx: SendContext): Promise<Response>;
}

/** Sends the request as it is: every kind but those that sign their requests. */
export function sendAsIs(request: OutgoingRequest, ctx: SendContext): Promise<Response> {
  return ctx.fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: ctx.signal });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export const httpUrl = z.string().trim().max(2048).refine(isHttpUrl, "must be an http:// or https:// URL");

/** A base URL that replaces a service's own (self-hosted receivers, tests); no trailing slash. */
export const apiBaseUrl = httpUrl.transform((u) => u.replace(/\/+$/, ""));

export const JSON_HEADERS = { "content-type": "application/json", accept: "application/json", "user-agent": "Pipewatch" } as const;

/** Cuts text to a service's field limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Severity words as a reader scans them. */
export const SEVERITY_LABEL = { INFO: "Info", LOW: "Low", MEDIUM: "Medium", HIGH: "High", CRITICAL: "Critical" } as const;

/** One line that names what kind of alert this is: "System Error · ALERT_DELIVERY", "Rule match". */
export function describeType(message: OutgoingMessage): string {
  const { alert } = message;
  if (alert.type === "SYSTEM_ERROR") return `System Error · ${alert.systemErrorType ?? ""}`.trim();
  if (alert.type === "TEST") return "Test alert";
  return alert.type;
}

/** The headline of a message, with its resolution or test status in front. */
export function headline(message: OutgoingMessage): string {
  const prefix = message.kind === "RESOLVED" ? "Resolved: " : message.kind === "TEST" ? "" : `[${message.alert.severity}] `;
  return `${prefix}${message.alert.title}`;
}

/** "LOG_SOURCE" → "Log source". */
export function componentKindLabel(kind: string): string {
  const words = kind.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
