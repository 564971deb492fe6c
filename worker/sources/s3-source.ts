import { z } from "zod";
import type { logSources } from "../db/schema";
import type { ErrorDetail } from "../errors";
import { LOG_STREAM_TYPES, MASK, dropOffInput, logTypeName } from "./http-source";
import { presentSourceCommon } from "./source-row";
import type { PrefixRoute } from "../s3/routing";
import type { S3Location } from "../s3/client";

type SourceRow = typeof logSources.$inferSelect;

// AWS's bucket naming rules (general purpose buckets): 3-63 characters of lowercase letters,
// digits, dots and hyphens; a letter or digit at each end; no "..", not an IP address, none of
// the reserved prefixes and suffixes.
const bucketName = z
  .string()
  .regex(
    /^(?!xn--|sthree-)(?!.*(?:-s3alias|--ol-s3|--x-s3)$)(?!\d{1,3}(?:\.\d{1,3}){3}$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
  );
const region = z.string().regex(/^(?:auto|[a-z]{2}(?:-[a-z]+)+-\d{1,2})$/, "must be a region such as us-east-1 (or auto, for R2)");
const endpoint = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://<account>.r2.cloudflarestorage.com" })
  .max(512)
  // Piped, so this runs only on what parsed as a URL.
  .pipe(
    z.string().refine((u) => {
      const url = new URL(u);
      return !url.search && !url.hash && !url.username && !url.password;
    }, "must be a plain base URL: no query, fragment or credentials"),
  );
const printable = (min: number, max: number) =>
  z
    .string()
    .min(min, `must be at least ${min} characters`)
    .max(max)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");
const roleArn = z.string().regex(/^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "must be an IAM role ARN, e.g. arn:aws:iam::123456789012:role/PipewatchLogProcessing");
const externalId = z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, "must be 2 to 1224 letters, digits or +=,.@:/-");

export const prefixRouteInput = z.strictObject({
  prefix: z.string().max(1024),
  logTypes: z.array(logTypeName).min(1, "attach at least one log type").max(50),
  excludedPrefixes: z.array(z.string().min(1).max(1024)).max(20).default([]),
});

export const s3SourceCreate = z.strictObject({
  integrationLabel: z.string().trim().min(1).max(128),
  s3Bucket: bucketName,
  region,
  endpoint: endpoint.optional(),
  logStreamType: z.enum(LOG_STREAM_TYPES),
  s3PrefixLogTypes: z.array(prefixRouteInput).min(1, "give at least one prefix (\"\" for the whole bucket)").max(50),
  accessKeyId: printable(3, 128).optional(),
  secretAccessKey: printable(3, 256).optional(),
  roleArn: roleArn.optional(),
  externalId: externalId.optional(),
  dropOffAlarm: dropOffInput.optional(),
});

export const s3SourceUpdate = s3SourceCreate.partial().extend({
  // A masked secret sent back keeps the stored one; null removes an optional setting.
  secretAccessKey: z.union([z.literal(MASK), printable(3, 256)]).optional(),
  endpoint: endpoint.nullable().optional(),
  externalId: externalId.nullable().optional(),
  enabled: z.boolean().optional(),
});

export type S3SourceInput = z.output<typeof s3SourceCreate>;
export type S3SourceUpdate = z.output<typeof s3SourceUpdate>;

const KEY_FIELDS = ["accessKeyId", "secretAccessKey"] as const;
const ROLE_FIELDS = ["roleArn", "externalId"] as const;

/** An access key or a role, never both; a prefix once; what each needs. */
export function s3FieldErrors(input: S3SourceInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const hasKey = input.accessKeyId !== undefined || input.secretAccessKey !== undefined;
  if (!hasKey && input.roleArn === undefined) {
    errors.push({ path: "accessKeyId", message: "give an access key (accessKeyId and secretAccessKey) or a role to assume (roleArn)" });
  }
  if (hasKey && input.roleArn !== undefined) errors.push({ path: "roleArn", message: "not used with an access key: give one or the other" });
  if (input.accessKeyId !== undefined && input.secretAccessKey === undefined) errors.push({ path: "secretAccessKey", message: "required with accessKeyId" });
  if (input.secretAccessKey !== undefined && input.accessKeyId === undefined) errors.push({ path: "accessKeyId", message: "required with secretAccessKey" });
  if (input.externalId !== undefined && input.roleArn === undefined) errors.push({ path: "externalId", message: "only used with roleArn" });
  const seen = new Set<string>();
  input.s3PrefixLogTypes.forEach((route, i) => {
    if (seen.has(route.prefix)) errors.push({ path: `s3PrefixLogTypes[${i}].prefix`, message: `the prefix '${route.prefix}' is listed twice` });
    seen.add(route.prefix);
  });
  return errors;
}

/** Every log type of the source, in the order its prefixes name them (the source list shows these). */
export const allLogTypes = (input: Pick<S3SourceInput, "s3PrefixLogTypes">) => [...new Set(input.s3PrefixLogTypes.flatMap((r) => r.logTypes))];

/** Settings of an S3 source as stored in its row's config: validated when read (habit 2). */
const storedConfig = z.object({
  s3Bucket: z.string(),
  region: z.string(),
  endpoint: z.string().nullable(),
  s3PrefixLogTypes: z.array(z.object({ prefix: z.string(), logTypes: z.array(z.string()), excludedPrefixes: z.array(z.string()) })),
  accessKeyId: z.string().optional(),
  roleArn: z.string().optional(),
  externalId: z.string().optional(),
});
export type S3Config = z.output<typeof storedConfig>;

export interface S3Settings {
  location: S3Location;
  routes: PrefixRoute[];
  credentials: { kind: "accessKey"; accessKeyId: string; secretAccessKey: string } | { kind: "role"; roleArn: string; externalId?: string };
}

export function s3Settings(row: SourceRow): S3Settings {
  const c = storedConfig.parse(row.config);
  const credentials: S3Settings["credentials"] = c.roleArn
    ? { kind: "role", roleArn: c.roleArn, ...(c.externalId ? { externalId: c.externalId } : {}) }
    : { kind: "accessKey", accessKeyId: c.accessKeyId ?? "", secretAccessKey: row.secrets.secretAccessKey ?? "" };
  return { location: { bucket: c.s3Bucket, region: c.region, endpoint: c.endpoint }, routes: c.s3PrefixLogTypes, credentials };
}

export function toStoredS3(input: S3SourceInput) {
  const config: S3Config = {
    s3Bucket: input.s3Bucket,
    region: input.region,
    endpoint: input.endpoint?.replace(/\/+$/, "") ?? null,
    s3PrefixLogTypes: input.s3PrefixLogTypes,
    ...(input.accessKeyId !== undefined ? { accessKeyId: input.accessKeyId } : {}),
    ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
    ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
  };
  const secrets: Record<string, string> = input.secretAccessKey !== undefined ? { secretAccessKey: input.secretAccessKey } : {};
  return { config: config as Record<string, unknown>, secrets };
}

/** The stored source as input again (with its real secret), for merging a partial update. */
function toInput(row: SourceRow): Record<string, unknown> {
  const c = storedConfig.parse(row.config);
  const input: Record<string, unknown> = {
    integrationLabel: row.label,
    s3Bucket: c.s3Bucket,
    region: c.region,
    logStreamType: row.logStreamType,
    s3PrefixLogTypes: c.s3PrefixLogTypes,
    accessKeyId: c.accessKeyId,
    secretAccessKey: row.secrets.secretAccessKey,
    roleArn: c.roleArn,
    externalId: c.externalId,
    endpoint: c.endpoint ?? undefined,
    dropOffAlarm: row.dropOffMinutes === null ? null : { minutesThreshold: row.dropOffMinutes },
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input;
}

/**
 * A partial update over the stored source. Switching to a role drops the access key and the
 * other way round, unless the update sends both (then validation says which to remove).
 */
export function mergeS3Update(row: SourceRow, update: S3SourceUpdate): Record<string, unknown> {
  const merged = toInput(row);
  for (const [key, value] of Object.entries(update)) {
    if (key === "enabled" || value === undefined) continue;
    if (value === null) delete merged[key];
    else if (value !== MASK) merged[key] = value;
  }
  const sends = (fields: readonly string[]) => fields.some((f) => update[f as keyof S3SourceUpdate] !== undefined);
  if (sends(ROLE_FIELDS) && !sends(KEY_FIELDS)) for (const f of KEY_FIELDS) delete merged[f];
  if (sends(KEY_FIELDS) && !sends(ROLE_FIELDS)) for (const f of ROLE_FIELDS) delete merged[f];
  return merged;
}

/** What the audit trail records of a source: its settings, never its secret. */
export function s3AuditView(input: S3SourceInput, enabled?: boolean) {
  const { secretAccessKey: _secret, ...rest } = input;
  return enabled === undefined ? rest : { ...rest, enabled };
}

export function presentS3Source(row: SourceRow) {
  const c = storedConfig.parse(row.config);
  return {
    ...presentSourceCommon(row),
    integrationType: "s3" as const,
    s3Bucket: c.s3Bucket,
    region: c.region,
    endpoint: c.endpoint,
    s3PrefixLogTypes: c.s3PrefixLogTypes,
    credentialsType: c.roleArn ? ("role" as const) : ("accessKey" as const),
    ...(c.accessKeyId !== undefined ? { accessKeyId: c.accessKeyId } : {}),
    ...(row.secrets.secretAccessKey !== undefined ? { secretAccessKey: MASK } : {}),
    ...(c.roleArn !== undefined ? { roleArn: c.roleArn } : {}),
    ...(c.externalId !== undefined ? { externalId: c.externalId } : {}),
    dropOffAlarm: row.dropOffMinutes === null ? null : { minutesThreshold: row.dropOffMinutes },
  };
}
