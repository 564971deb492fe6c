import type { Actor } from "./auth/actor";

/** Hono environment for every route: bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    actor: Actor;
  };
}

/** Numeric configuration read from wrangler vars, with the documented defaults. */
export function numberVar(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) ? n : fallback;
}
