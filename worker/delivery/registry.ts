import type { OUTPUT_TYPES } from "../db/schema";
import type { DestinationKind } from "./kind";
import { customWebhook } from "./customwebhook";
import { slack } from "./slack";
import { msTeams } from "./msteams";
import { pagerDuty } from "./pagerduty";
import { opsgenie } from "./opsgenie";

export type OutputType = (typeof OUTPUT_TYPES)[number];

/**
 * Every kind of destination. A Record over OutputType: adding a type to OUTPUT_TYPES does not
 * compile until it has a schema, secret keys, a formatter and a sender here.
 */
export const registry = {
  customwebhook: customWebhook,
  slack,
  msteams: msTeams,
  pagerduty: pagerDuty,
  opsgenie,
  // `any` only here: each kind is checked against its own configuration type where it is defined.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
} satisfies { [T in OutputType]: DestinationKind<any> };

/**
 * One kind, typed over its own configuration as unknown: callers validate the stored config with
 * `schema` first, so what reaches `format` and `send` is what that kind's schema produced.
 */
export function kindOf(type: OutputType): DestinationKind<Record<string, unknown>> {
  return registry[type] as unknown as DestinationKind<Record<string, unknown>>;
}
