// The shape of a custom log schema, as Panther's format defines it (version 0). `parseSchemaSpec`
// produces these only after checking every key, so the compiler can trust them.

export const VALUE_TYPES = [
  "string",
  "int",
  "smallint",
  "bigint",
  "float",
  "boolean",
  "timestamp",
  "array",
  "object",
  "json",
  "ref",
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** Indicator scanner names, each feeding one or more `p_any_*` fields. */
export const INDICATOR_NAMES = [
  "ip",
  "domain",
  "hostname",
  "url",
  "net_addr",
  "md5",
  "sha1",
  "sha256",
  "trace_id",
  "username",
  "email",
  "aws_account_id",
  "aws_instance_id",
  "aws_tag",
  "aws_arn",
  "aws_arn_only",
  "mac",
] as const;
export type IndicatorName = (typeof INDICATOR_NAMES)[number];

export const ADDRESS_FAMILIES = ["ipv4", "ipv6", "any"] as const;
export type AddressFamily = (typeof ADDRESS_FAMILIES)[number];

export interface ValidateSpec {
  allow?: string[];
  deny?: string[];
  ip?: AddressFamily;
  cidr?: AddressFamily;
}

/** A value: the type and the keys that apply to it (definitions and array elements are values). */
export interface ValueSpec {
  type: ValueType;
  description?: string;
  /** string */
  indicators?: IndicatorName[];
  validate?: ValidateSpec;
  /** timestamp: one of `timeFormat` / `timeFormats` is set. */
  timeFormat?: string;
  timeFormats?: string[];
  isEventTime?: boolean;
  /** timestamp; meaningful for lookup tables only, accepted and ignored here. */
  isExpiration?: boolean;
  /** array */
  element?: ValueSpec;
  /** object */
  fields?: FieldSpec[];
  /** object, array, json: the value may arrive as a JSON string. */
  isEmbeddedJSON?: boolean;
  /** ref: a key of the schema's `definitions`. */
  target?: string;
}

export interface FieldSpec extends ValueSpec {
  name: string;
  required?: boolean;
}

export interface LogSchemaSpec {
  /** Always 0 once parsed (a schema may leave it out). */
  version: 0;
  schema?: string;
  description?: string;
  referenceURL?: string;
  /** Only the native (JSON) parser is supported; it classifies by the fields. */
  parser?: { native: { name?: string } | null } | "native";
  fields: FieldSpec[];
  definitions?: Record<string, ValueSpec>;
}

export interface SpecError {
  path: string;
  message: string;
}
