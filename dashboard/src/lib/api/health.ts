import { client } from "./client";

/** GET /api/health: needs no token. */
export async function getHealth() {
  const res = await client.api.health.$get();
  return res.json();
}
