import type { InferResponseType } from "hono/client";
import { client } from "./client";

/** Who the signed-in token belongs to, and its role. */
export type Me = InferResponseType<typeof client.api.me.$get, 200>;

export async function getMe(): Promise<Me> {
  const res = await client.api.me.$get();
  return res.json();
}
