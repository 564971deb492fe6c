import type { InferRequestType, InferResponseType } from "hono/client";
import { client } from "./client";

const destinations = client.api["alert-destinations"];

/** A destination as the API shows it: secrets in its config masked. */
export type Destination = InferResponseType<typeof destinations.$get, 200>["results"][number];
export type DestinationInput = InferRequestType<typeof destinations.$post>["json"];
export type DestinationUpdate = InferRequestType<(typeof destinations)[":id"]["$put"]>["json"];
export type OutputType = DestinationInput["outputType"];
export type DestinationAlertType = NonNullable<DestinationInput["alertTypes"]>[number];
/** The delivery record of a test alert. */
export type TestDelivery = InferResponseType<(typeof destinations)[":id"]["test"]["$post"], 200>;

/** What the API shows instead of a stored secret; sending it back keeps the secret. */
export const MASK = "********";

export const OUTPUT_TYPES: Record<OutputType, string> = {
  customwebhook: "Custom webhook",
  slack: "Slack",
  msteams: "Microsoft Teams",
  pagerduty: "PagerDuty",
  opsgenie: "Opsgenie",
};

export const ALERT_TYPE_LABELS: Record<DestinationAlertType, string> = {
  RULE: "Rule Matches",
  RULE_ERROR: "Rule Errors",
  SCHEDULED_RULE: "Scheduled Rule Matches",
  SCHEDULED_RULE_ERROR: "Scheduled Rule Errors",
  POLICY: "Policy Failures",
  SYSTEM_ERROR: "System Errors",
};

export async function listDestinations(): Promise<Destination[]> {
  const all: Destination[] = [];
  let cursor: string | undefined;
  do {
    const res = await destinations.$get({ query: { limit: "100", ...(cursor ? { cursor } : {}) } });
    const page = await res.json();
    all.push(...page.results);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all;
}

export async function getDestination(id: string): Promise<Destination> {
  const res = await destinations[":id"].$get({ param: { id } });
  return res.json();
}

export async function createDestination(input: DestinationInput): Promise<Destination> {
  const res = await destinations.$post({ json: input });
  return res.json();
}

export async function updateDestination(id: string, update: DestinationUpdate): Promise<Destination> {
  const res = await destinations[":id"].$put({ param: { id }, json: update });
  return res.json();
}

export async function deleteDestination(id: string): Promise<void> {
  await destinations[":id"].$delete({ param: { id } });
}

/** Sends a test alert now (tried once) and answers its delivery record. */
export async function sendTestAlert(id: string): Promise<TestDelivery> {
  const res = await destinations[":id"].test.$post({ param: { id } });
  return res.json();
}
