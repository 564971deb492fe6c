import { ATTEMPT_TIMEOUT_MS } from "./retry-policy";

/**
 * What delivery takes from the outside world: outbound fetch, the clock and the per-attempt
 * timeout. Production uses the real ones; tests and the benchmark swap them in for the isolate.
 */
export interface DeliveryIO {
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs: number;
}

let overrides: Partial<DeliveryIO> = {};

export function setDeliveryIO(io: Partial<DeliveryIO>): void {
  overrides = { ...overrides, ...io };
}

export function setDeliveryFetch(fetchFn: typeof fetch | undefined): void {
  overrides = { ...overrides, fetch: fetchFn };
}

export function resetDeliveryIO(): void {
  overrides = {};
}

export function deliveryIO(): DeliveryIO {
  return {
    // The global fetch must be called unbound in Workers, hence the wrapper.
    fetch: overrides.fetch ?? ((input, init) => fetch(input, init)),
    now: overrides.now ?? (() => new Date()),
    timeoutMs: overrides.timeoutMs ?? ATTEMPT_TIMEOUT_MS,
  };
}
