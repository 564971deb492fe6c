import { ApiFailure, client } from "./client";

/**
 * Whether the API accepts a token: reads one log source with it. A 403 still proves the token is
 * valid (a role that may not read sources); only 401 means unknown, expired or revoked.
 */
export async function verifyToken(token: string): Promise<void> {
  try {
    await client.api["log-sources"].$get({ query: { limit: "1" } }, { headers: { authorization: `Bearer ${token}` } });
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 403) return;
    throw err;
  }
}
