/**
 * What the S3 and STS clients take from the outside world: outbound fetch, the clock and the
 * retry budget. Production uses the real ones; tests swap them in for the isolate (STS answers
 * recorded from AWS's documentation, no retries).
 */
export interface AwsIO {
  fetch: typeof fetch;
  now: () => Date;
  /**
   * Retries of a request answered 5xx or 429, with jittered backoff from 100 ms. Two: a poll
   * runs every minute and a queued read is retried by the queue, so waiting longer here only
   * holds the invocation (aws4fetch's own default is 10).
   */
  retries: number;
}

let overrides: Partial<AwsIO> = {};

export function setAwsIO(io: Partial<AwsIO>): void {
  overrides = { ...overrides, ...io };
}

export function resetAwsIO(): void {
  overrides = {};
}

export function awsIO(): AwsIO {
  return {
    // The global fetch must be called unbound in Workers, hence the wrapper.
    fetch: overrides.fetch ?? ((input, init) => fetch(input, init)),
    now: overrides.now ?? (() => new Date()),
    retries: overrides.retries ?? 2,
  };
}
