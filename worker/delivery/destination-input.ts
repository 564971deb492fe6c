import { z } from "zod";
import { ALERT_TYPES, OUTPUT_TYPES, SEVERITIES, type destinations } from "../db/schema";
import type { ErrorDetail } from "../errors";
import { issuePath } from "../lib/validate";
import { kindOf, type OutputType } from "./registry";

/** Shown instead of every stored secret; sending it back on a PUT keeps the stored value. */
export const MASK = "********";

export type DestinationRow = typeof destinations.$inferSelect;

const unique = <T>(items: T[]) => [...new Set(items)];

const common = {
  // Panther refuses these characters in names: they end up in HTML and chat markup.
  displayName: z.string().trim().min(1).max(128).regex(/^[^<>&"]*$/, 'must not contain <, >, & or "'),
  outputType: z.enum(OUTPUT_TYPES),
  /** Checked against the output type's own schema once the type is known. */
  outputConfig: z.record(z.string(), z.unknown()),
  alertTypes: z.array(z.enum(ALERT_TYPES)).transform(unique),
  defaultForSeverity: z.array(z.enum(SEVERITIES)).transform(unique),
  sendResolved: z.boolean(),
};

export const destinationCreate = z.strictObject({
  ...common,
  // Every alert type unless narrowed: a new destination should not silently miss System Errors.
  alertTypes: common.alertTypes.default([...ALERT_TYPES]),
  sendResolved: common.sendResolved.default(false),
});

/** A PUT changes what it names. outputConfig is merged key by key: null removes, "********" keeps. */
export const destinationUpdate = z.strictObject({
  displayName: common.displayName.optional(),
  outputType: common.outputType.optional(),
  outputConfig: z.record(z.string(), z.unknown()).optional(),
  alertTypes: common.alertTypes.optional(),
  defaultForSeverity: common.defaultForSeverity.optional(),
  sendResolved: common.sendResolved.optional(),
});

export type DestinationCreate = z.output<typeof destinationCreate>;
export type DestinationUpdate = z.output<typeof destinationUpdate>;

export interface ValidDestination {
  displayName: string;
  outputType: OutputType;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  alertTypes: string[];
  defaultForSeverity: string[];
  sendResolved: boolean;
}

/** Validates an outputConfig against its type and splits it into stored config and secrets. */
export function checkConfig(input: DestinationCreate): { value?: ValidDestination; errors: ErrorDetail[] } {
  const kind = kindOf(input.outputType);
  const parsed = kind.schema.safeParse(input.outputConfig);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => ({ path: issuePath(["outputConfig", ...issue.path, key]), message: "unknown field" }))
        : [{ path: issuePath(["outputConfig", ...issue.path]), message: issue.message }],
    );
    return { errors };
  }
  const config: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value === undefined) continue;
    if ((kind.secretKeys as readonly string[]).includes(key)) secrets[key] = String(value);
    else config[key] = value;
  }
  const { displayName, outputType, alertTypes, defaultForSeverity, sendResolved } = input;
  return { value: { displayName, outputType, config, secrets, alertTypes, defaultForSeverity, sendResolved }, errors: [] };
}

/**
 * The stored destination with an update applied, as create input again. Within one output type
 * the config is merged (masked or omitted secrets keep their stored value); a new type needs a
 * whole new config, and a mask then has nothing to keep.
 */
export function mergeUpdate(row: DestinationRow, update: DestinationUpdate): { input: DestinationCreate; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const outputType = update.outputType ?? row.outputType;
  const sameType = outputType === row.outputType;
  const stored: Record<string, unknown> = { ...row.config, ...row.secrets };
  let outputConfig: Record<string, unknown> = sameType ? { ...stored } : {};
  if (!sameType && !update.outputConfig) errors.push({ path: "outputConfig", message: `required when outputType changes to ${outputType}` });
  for (const [key, value] of Object.entries(update.outputConfig ?? {})) {
    if (value === null) delete outputConfig[key];
    else if (value === MASK) {
      if (sameType && key in row.secrets) outputConfig[key] = row.secrets[key];
      else errors.push({ path: `outputConfig.${key}`, message: "there is no stored secret to keep; send the value" });
    } else outputConfig[key] = value;
  }
  if (!sameType) outputConfig = Object.fromEntries(Object.entries(outputConfig).filter(([, v]) => v !== null));
  const input: DestinationCreate = {
    displayName: update.displayName ?? row.displayName,
    outputType,
    outputConfig,
    alertTypes: (update.alertTypes ?? row.alertTypes) as DestinationCreate["alertTypes"],
    defaultForSeverity: (update.defaultForSeverity ?? row.defaultForSeverity) as DestinationCreate["defaultForSeverity"],
    sendResolved: update.sendResolved ?? row.sendResolved,
  };
  return { input, errors };
}

/** The API's view of a destination: secrets masked. */
export function presentDestination(row: DestinationRow) {
  return {
    outputId: row.id,
    displayName: row.displayName,
    outputType: row.outputType,
    outputConfig: { ...row.config, ...Object.fromEntries(Object.keys(row.secrets).map((k) => [k, MASK])) },
    alertTypes: row.alertTypes,
    defaultForSeverity: row.defaultForSeverity,
    sendResolved: row.sendResolved,
    consecutiveFailures: row.consecutiveFailures,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
  };
}

/** What the audit trail records: settings, with secrets named but never their values. */
export function auditView(value: ValidDestination) {
  const { secrets, config, ...rest } = value;
  return { ...rest, outputConfig: { ...config, ...Object.fromEntries(Object.keys(secrets).map((k) => [k, MASK])) } };
}
