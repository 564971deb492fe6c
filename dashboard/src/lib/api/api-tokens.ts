import type { InferRequestType, InferResponseType } from "hono/client";
import { client } from "./client";

const tokens = client.api["api-tokens"];

export type ApiToken = InferResponseType<typeof tokens.$get, 200>["results"][number];
/** A token just created: the only answer that carries its value. */
export type CreatedApiToken = InferResponseType<typeof tokens.$post, 201>;
export type ApiTokenInput = InferRequestType<typeof tokens.$post>["json"];
export type Role = ApiTokenInput["role"];

export const ROLES: readonly Role[] = ["Admin", "Analyst", "ReadOnly"];

export async function listApiTokens(): Promise<ApiToken[]> {
  const all: ApiToken[] = [];
  let cursor: string | undefined;
  do {
    const res = await tokens.$get({ query: { limit: "100", ...(cursor ? { cursor } : {}) } });
    const page = await res.json();
    all.push(...page.results);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all;
}

export async function createApiToken(input: ApiTokenInput): Promise<CreatedApiToken> {
  const res = await tokens.$post({ json: input });
  return res.json();
}

export async function revokeApiToken(id: string): Promise<ApiToken> {
  const res = await tokens[":id"].$delete({ param: { id } });
  return res.json();
}
