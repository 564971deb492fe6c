import { z } from "zod";
import type { logSources } from "../db/schema";
import type { ErrorDetail } from "../errors";
import { presentSourceCommon } from "./source-row";

export const LOG_STREAM_TYPES = ["Auto", "JSON", "JsonArray", "Lines"] as const;
export const AUTH_METHODS = ["SharedSecret", "HMAC", "Bearer", "Basic", "None"] as const;
export const HMAC_ALGS = ["sha256", "sha512", "sha1"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** Drop-off thresholds go up to 30 days. */
export const MAX_DROP_OFF_MINUTES = 43200;

/** Shown instead of every stored secret; sending it back on a PUT keeps the stored value. */
export const MASK = "********";

/** Log type names: PascalCase parts joined by dots (AWS.CloudTrail, Custom.MyApp). */
export const logTypeName = z
  .string()
  .regex(/^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)+$/, "must be PascalCase parts joined by dots, e.g. Custom.MyApp");

// RFC 7230 token characters, so the header can actually be sent by a shipper.
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "must be a valid HTTP header name");
// Printable ASCII: header values must be, and a non-ASCII secret would be echoed in runtime warnings.
const secret = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(1024)
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

export const dropOffInput = z.strictObject({ minutesThreshold: z.number().int() }).nullable();

export const httpSourceFields = {
  integrationLabel: z.string().trim().min(1).max(128),
  logTypes: z.array(logTypeName).min(1, "attach at least one log type").max(50),
  logStreamType: z.enum(LOG_STREAM_TYPES),
  authMethod: z.enum(AUTH_METHODS),
  authHeaderKey: headerName.optional(),
  authSecretValue: secret.optional(),
  authHmacAlg: z.enum(HMAC_ALGS).optional(),
  authBearerToken: secret.optional(),
  authUsername: z.string().min(1).max(256).regex(/^[^:]*$/, "must not contain ':'").optional(),
  authPassword: secret.optional(),
  dropOffAlarm: dropOffInput.optional(),
};

export const httpSourceCreate = z.strictObject(httpSourceFields);
export const httpSourceUpdate = httpSourceCreate.partial().extend({
  // Secrets may come back masked on a PUT: the stored value is kept.
  authSecretValue: z.union([z.literal(MASK), secret]).optional(),
  authBearerToken: z.union([z.literal(MASK), secret]).optional(),
  authPassword: z.union([z.literal(MASK), secret]).optional(),
  enabled: z.boolean().optional(),
});

export type HttpSourceInput = z.output<typeof httpSourceCreate>;

/** What each auth method needs, and which fields belong to no method in use. */
const needs: Record<AuthMethod, (keyof HttpSourceInput)[]> = {
  SharedSecret: ["authHeaderKey", "authSecretValue"],
  HMAC: ["authHeaderKey", "authSecretValue"],
  Bearer: ["authBearerToken"],
  Basic: ["authUsername", "authPassword"],
  None: [],
};
const AUTH_FIELDS = ["authHeaderKey", "authSecretValue", "authHmacAlg", "authBearerToken", "authUsername", "authPassword"] as const;

export function authFieldErrors(input: HttpSourceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const allowed = new Set<string>(needs[input.authMethod]);
  if (input.authMethod === "HMAC") allowed.add("authHmacAlg");
  for (const field of needs[input.authMethod]) {
    if (input[field] === undefined) errors.push({ path: field, message: `required when authMethod is ${input.authMethod}` });
  }
  for (const field of AUTH_FIELDS) {
    if (input[field] !== undefined && !allowed.has(field)) {
      errors.push({ path: field, message: `not used when authMethod is ${input.authMethod}` });
    }
  }
  return errors;
}

type SourceRow = typeof logSources.$inferSelect;

/** Splits validated input into the stored row's non-secret config and its secrets. */
export function toStored(input: HttpSourceInput) {
  const config: Record<string, unknown> = { authMethod: input.authMethod };
  if (input.authHeaderKey !== undefined) config.authHeaderKey = input.authHeaderKey;
  if (input.authMethod === "HMAC") config.authHmacAlg = input.authHmacAlg ?? "sha256";
  if (input.authUsername !== undefined) config.authUsername = input.authUsername;
  const secrets: Record<string, string> = {};
  if (input.authSecretValue !== undefined) secrets.authSecretValue = input.authSecretValue;
  if (input.authBearerToken !== undefined) secrets.authBearerToken = input.authBearerToken;
  if (input.authPassword !== undefined) secrets.authPassword = input.authPassword;
  return { config, secrets };
}

/** The stored source as input again (with real secrets), for merging a partial update. */
export function toInput(row: SourceRow): HttpSourceInput {
  return {
    integrationLabel: row.label,
    logTypes: row.logTypes,
    logStreamType: row.logStreamType as HttpSourceInput["logStreamType"],
    ...(row.config as Partial<HttpSourceInput>),
    ...(row.secrets as Partial<HttpSourceInput>),
    dropOffAlarm: row.dropOffMinutes === null ? null : { minutesThreshold: row.dropOffMinutes },
  } as HttpSourceInput;
}

export function mergeUpdate(row: SourceRow, update: Partial<HttpSourceInput>): HttpSourceInput {
  const current = toInput(row);
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (key === "enabled" || value === undefined) continue;
    merged[key] = value === MASK ? current[key as keyof HttpSourceInput] : value;
  }
  // A new method drops the fields of the old one.
  if (update.authMethod && update.authMethod !== current.authMethod) {
    for (const field of AUTH_FIELDS) if (!(field in update)) delete merged[field];
  }
  return merged as HttpSourceInput;
}

export function presentHttpSource(row: SourceRow, origin: string) {
  const config = row.config as { authMethod: AuthMethod; authHeaderKey?: string; authHmacAlg?: string; authUsername?: string };
  const masked = Object.fromEntries(Object.keys(row.secrets).map((k) => [k, MASK]));
  return {
    ...presentSourceCommon(row),
    integrationType: "http" as const,
    ingestUrl: `${origin}/http/${row.id}`,
    authMethod: config.authMethod,
    ...(config.authHeaderKey !== undefined ? { authHeaderKey: config.authHeaderKey } : {}),
    ...(config.authHmacAlg !== undefined ? { authHmacAlg: config.authHmacAlg } : {}),
    ...(config.authUsername !== undefined ? { authUsername: config.authUsername } : {}),
    ...masked,
    dropOffAlarm: row.dropOffMinutes === null ? null : { minutesThreshold: row.dropOffMinutes },
  };
}

/** The row of the list of all sources, whatever their kind. */
export function presentSummary(row: SourceRow) {
  return {
    integrationId: row.id,
    integrationLabel: row.label,
    integrationType: row.type,
    logTypes: row.logTypes,
    enabled: row.enabled,
    isHealthy: row.isHealthy,
    lastEventReceivedAt: row.lastEventReceivedAt,
    createdAt: row.createdAt,
  };
}
