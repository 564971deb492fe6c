import { awsIO } from "./io";
import { AwsError, awsErrorOf } from "./aws-error";
import { signedFetch, type AwsCredentials } from "./signed-fetch";
import { parseAssumeRole, type AssumedCredentials } from "./xml";

export interface RoleToAssume {
  roleArn: string;
  externalId?: string;
  /** The source's region: its regional STS endpoint answers (AWS recommends regional over global). */
  region: string;
  /** Shown in the customer's CloudTrail as the session's name. */
  sessionName: string;
}

/** One hour: the default maximum session of an IAM role. */
const SESSION_SECONDS = 3600;
/** Credentials are renewed this long before they expire, so no read starts with a dying session. */
const RENEW_BEFORE_MS = 5 * 60_000;

// Per isolate: a poll and the reads it queues share one session instead of one AssumeRole each.
const sessions = new Map<string, AssumedCredentials>();

export function forgetAssumedRoles(): void {
  sessions.clear();
}

/** Pipewatch's own AWS identity (Worker secrets), which assumes the roles sources name. */
export function pipewatchCredentials(env: Env): AwsCredentials | null {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null;
}

const AWS_REGION = /^(?:[a-z]{2}|us-gov|us-iso[a-z]?)-[a-z]+-\d{1,2}$/;

/** The STS endpoint of a region; the global one for a region that is not AWS's (R2's "auto"). */
export function stsEndpoint(region: string): { url: URL; region: string } {
  if (!AWS_REGION.test(region)) return { url: new URL("https://sts.amazonaws.com/"), region: "us-east-1" };
  const domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return { url: new URL(`https://sts.${region}.${domain}/`), region };
}

/**
 * Temporary credentials of a role, through STS AssumeRole signed with Pipewatch's identity, cached
 * until shortly before they expire (`fresh` asks STS anyway: a health check). Throws an AwsError: STS's own (AccessDenied when the role's
 * trust policy does not name Pipewatch or the external ID differs), or MissingCredentials.
 */
export async function assumeRole(env: Env, role: RoleToAssume, opts: { fresh?: boolean } = {}): Promise<AssumedCredentials> {
  const base = pipewatchCredentials(env);
  if (!base) {
    throw new AwsError(
      "MissingCredentials",
      "Pipewatch has no AWS identity to assume roles with: set the Worker secrets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the source an access key",
      0,
    );
  }
  const cacheKey = [base.accessKeyId, role.roleArn, role.externalId ?? ""].join("\n");
  const cached = sessions.get(cacheKey);
  if (cached && !opts.fresh && Date.parse(cached.expiration) - RENEW_BEFORE_MS > awsIO().now().getTime()) return cached;

  const form = new URLSearchParams({
    Action: "AssumeRole",
    Version: "2011-06-15",
    RoleArn: role.roleArn,
    RoleSessionName: role.sessionName,
    DurationSeconds: String(SESSION_SECONDS),
  });
  if (role.externalId) form.set("ExternalId", role.externalId);
  const endpoint = stsEndpoint(role.region);
  const res = await signedFetch(base, { service: "sts", region: endpoint.region }, endpoint.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: form.toString(),
  });
  if (!res.ok) throw await awsErrorOf(res);
  let session: AssumedCredentials;
  try {
    session = parseAssumeRole(await res.text());
  } catch (err) {
    throw new AwsError("MalformedAnswer", `STS answered AssumeRole with a document Pipewatch cannot read: ${(err as Error).message}`, res.status);
  }
  sessions.set(cacheKey, session);
  return session;
}
