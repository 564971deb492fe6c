import { AwsClient } from "aws4fetch";
import { awsIO } from "./io";
import { AwsError } from "./aws-error";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Service and region are always explicit: aws4fetch guesses them only for amazonaws.com hosts. */
export interface SigningScope {
  service: "s3" | "sts";
  region: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signs a request with SigV4 (aws4fetch) and sends it through the injectable fetch. Redirects are
 * answers, not followed (a 301 names the bucket's real region). 5xx, 429 and network failures
 * are retried `awsIO().retries` times with full-jitter backoff, signing afresh each time; every
 * other answer is returned as it is. Throws an AwsError (NetworkError) only when no answer came.
 */
export async function signedFetch(credentials: AwsCredentials, scope: SigningScope, url: URL, init: RequestInit = {}): Promise<Response> {
  const io = awsIO();
  const client = new AwsClient({ ...credentials, service: scope.service, region: scope.region, retries: 0 });
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= io.retries;
    const request = await client.sign(url.toString(), { ...init, redirect: "manual" });
    let res: Response;
    try {
      res = await io.fetch(request);
    } catch (err) {
      if (last) throw new AwsError("NetworkError", `${url.origin} did not answer: ${err instanceof Error ? err.message : String(err)}`, 0);
      await sleep(Math.random() * 100 * 2 ** attempt);
      continue;
    }
    if (last || (res.status < 500 && res.status !== 429)) return res;
    await res.body?.cancel();
    await sleep(Math.random() * 100 * 2 ** attempt);
  }
}
