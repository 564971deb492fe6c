import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";

export const ADMIN = "test-admin-token";
export const BASE = "http://pw.test";

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the Worker's fetch handler as a client would, with a bearer token (Admin by default). */
export async function api<T = any>(
  path: string,
  init: { method?: string; body?: unknown; raw?: BodyInit; token?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  const token = init.token === undefined ? ADMIN : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await exports.default.fetch(`${BASE}${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A token of the given role, created through the API. */
export async function tokenFor(role: "Admin" | "Analyst" | "ReadOnly", extra: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
  const res = await api("/api/api-tokens", { body: { name: `${role} ${crypto.randomUUID().slice(0, 8)}`, role, ...extra } });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The error body's code and the paths its details name. */
export function errorOf(answer: ApiAnswer) {
  const error = answer.body?.error;
  return { code: error?.code as string, paths: ((error?.details ?? []) as { path: string }[]).map((d) => d.path) };
}

export { env };
