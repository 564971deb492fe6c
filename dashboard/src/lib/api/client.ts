import { hc } from "hono/client";
import type { AppType } from "../../../../worker/api";

/** One entry of an error body's `details`: the field path and what is wrong with it. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The API's error body, as API.md defines it. */
export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: ErrorDetail[] };
}

/** A request the API refused or could not answer, with its error body (synthesised when there is none). */
export class ApiFailure extends Error {
  readonly code: string;
  readonly requestId: string;
  readonly details: ErrorDetail[];

  constructor(
    readonly status: number,
    body: ErrorBody["error"],
  ) {
    super(body.message);
    this.name = "ApiFailure";
    this.code = body.code;
    this.requestId = body.requestId;
    this.details = body.details ?? [];
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
}

async function failureOf(res: Response): Promise<ApiFailure> {
  const text = await res.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) return new ApiFailure(res.status, body.error);
  const requestId = res.headers.get("x-request-id") ?? "";
  const message = `The API answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`;
  return new ApiFailure(res.status, { code: `HTTP_${res.status}`, message, requestId });
}

/** Who the client asks for the token, and whom it tells when the token is refused. */
export interface Credentials {
  token(): string | null;
  onUnauthorized(failure: ApiFailure): void;
}

let credentials: Credentials = { token: () => null, onUnauthorized: () => {} };

export function useCredentials(c: Credentials): void {
  credentials = c;
}

/** The Worker's base URL: empty in development (Vite proxies /api), the Worker's origin on Pages. */
export const apiBase: string = import.meta.env.VITE_API_URL ?? "";

/**
 * fetch for the typed client: adds the bearer token, turns every non-2xx answer into an
 * ApiFailure and reports 401s so the session can sign out. A network failure becomes an
 * ApiFailure too, so pages handle one error type.
 */
async function apiFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  const token = credentials.token();
  if (token && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
  let res: Response;
  try {
    res = await fetch(input, { ...init, headers });
  } catch (err) {
    throw new ApiFailure(0, { code: "NETWORK", message: `Could not reach the API: ${String(err)}`, requestId: "" });
  }
  if (res.ok) return res;
  const failure = await failureOf(res);
  if (res.status === 401) credentials.onUnauthorized(failure);
  throw failure;
}

/** The typed client of the Worker's routes (`hc<AppType>`). */
export const client = hc<AppType>(apiBase || globalThis.location?.origin || "", { fetch: apiFetch });

/**
 * A JSON call with the same token and error handling, for routes the typed client does not know
 * yet (built against API.md until the Worker serves them).
 */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  const res = await apiFetch(`${apiBase}${path}`, init);
  return (await res.json()) as T;
}
