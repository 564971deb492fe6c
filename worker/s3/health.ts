import type { HealthCheck } from "../sources/health";
import type { S3Settings } from "../sources/s3-source";
import { AwsError } from "./aws-error";
import { S3Client } from "./client";
import { assumeRole } from "./sts";

type Outcome = Pick<HealthCheck, "healthy" | "message" | "rawErrorMessage">;

const pass = (message: string): Outcome => ({ healthy: true, message });
const fail = (message: string, err?: unknown): Outcome => ({
  healthy: false,
  message,
  ...(err instanceof AwsError ? { rawErrorMessage: err.raw } : err ? { rawErrorMessage: String(err) } : {}),
});

/** Where the bucket lives, for messages: the custom endpoint, or AWS. */
const where = (s: S3Settings) => s.location.endpoint ?? `AWS (${s.location.region})`;

/** What every check says about errors that are not about its own permission. */
function common(err: unknown, s: S3Settings): Outcome | null {
  if (!(err instanceof AwsError)) return fail("The check failed unexpectedly.", err);
  if (err.code === "NetworkError") return fail(`Pipewatch could not reach ${where(s)}. Check the endpoint.`, err);
  if (err.code === "NoSuchBucket") return fail(`The bucket ${s.location.bucket} does not exist at ${where(s)}. Check its name.`, err);
  if (["PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "BadRequest"].includes(err.code)) {
    return fail(`The bucket ${s.location.bucket} is in another region${err.region ? ` (${err.region})` : ""} than the source's ${s.location.region}. Change the source's region.`, err);
  }
  return null;
}

/**
 * credentials: with a role, STS AssumeRole (afresh, not from the cache); with an access key,
 * ListBuckets, the cheapest signed call: AccessDenied still proves the key and its secret are
 * accepted, only a refusal of the key itself fails. Answers the client the other checks use.
 */
async function credentials(env: Env, sourceId: string, s: S3Settings): Promise<{ outcome: Outcome; client: S3Client | null }> {
  const c = s.credentials;
  if (c.kind === "role") {
    try {
      const session = await assumeRole(env, { roleArn: c.roleArn, externalId: c.externalId, region: s.location.region, sessionName: `pipewatch-${sourceId}` }, { fresh: true });
      return { outcome: pass(`Pipewatch assumed the role ${c.roleArn}; its session is valid until ${session.expiration}.`), client: new S3Client(s.location, session) };
    } catch (err) {
      const why =
        err instanceof AwsError && err.code === "MissingCredentials"
          ? err.awsMessage
          : `Pipewatch could not assume the role ${c.roleArn}. Check that the role's trust policy lets Pipewatch's AWS identity assume it${c.externalId ? " with this source's external ID" : ""}.`;
      return { outcome: fail(why, err), client: null };
    }
  }
  const client = new S3Client(s.location, { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey });
  try {
    await client.listBuckets();
    return { outcome: pass(`${where(s)} accepts the access key ${c.accessKeyId}.`), client };
  } catch (err) {
    if (err instanceof AwsError && err.code === "AccessDenied") {
      return { outcome: pass(`${where(s)} accepts the access key ${c.accessKeyId} (it may not list buckets, which Pipewatch does not need).`), client };
    }
    const known: Record<string, string> = {
      InvalidAccessKeyId: `${where(s)} does not know the access key ${c.accessKeyId}: it was deleted, deactivated or mistyped. Create a key and update the source.`,
      SignatureDoesNotMatch: `The secret access key does not belong to the access key ${c.accessKeyId}. Update the secret.`,
    };
    const code = err instanceof AwsError ? err.code : "";
    return { outcome: known[code] ? fail(known[code], err) : (common(err, s) ?? fail(`${where(s)} refused the access key ${c.accessKeyId}.`, err)), client: null };
  }
}

/** bucket: GetBucketLocation; on AWS the bucket's region must be the source's. */
async function bucket(client: S3Client, s: S3Settings): Promise<Outcome> {
  const b = s.location.bucket;
  try {
    const region = await client.bucketRegion();
    if (!s.location.endpoint && region !== s.location.region) {
      return fail(`The bucket ${b} is in ${region}, but the source says ${s.location.region}. Change the source's region to ${region}.`);
    }
    return pass(`Pipewatch can reach the bucket ${b}${s.location.endpoint ? ` at ${s.location.endpoint}` : ` in ${region}`}.`);
  } catch (err) {
    if (err instanceof AwsError && err.code === "AccessDenied") {
      return fail(`Pipewatch may not read the location of the bucket ${b}. Allow s3:GetBucketLocation on arn:aws:s3:::${b}.`, err);
    }
    return common(err, s) ?? fail(`GetBucketLocation on the bucket ${b} failed.`, err);
  }
}

/** objectAccess:<prefix>: ListObjectsV2 for one key, then HeadObject on it. */
async function objectAccess(client: S3Client, s: S3Settings, prefix: string): Promise<Outcome> {
  const b = s.location.bucket;
  const shown = prefix === "" ? "the whole bucket" : `'${prefix}'`;
  let key: string | undefined;
  try {
    key = (await client.listObjects(prefix, { maxKeys: 1 })).objects[0]?.key;
  } catch (err) {
    if (err instanceof AwsError && err.code === "AccessDenied") {
      return fail(`Pipewatch may not list objects under ${shown}. Allow s3:ListBucket on arn:aws:s3:::${b}.`, err);
    }
    return common(err, s) ?? fail(`Listing objects under ${shown} failed.`, err);
  }
  if (key === undefined) return pass(`Pipewatch may list objects under ${shown}; there is no object there yet to try reading.`);
  try {
    await client.headObject(key);
    return pass(`Pipewatch may read objects under ${shown} (it read ${key}).`);
  } catch (err) {
    if (err instanceof AwsError && (err.code === "AccessDenied" || err.code === "Forbidden")) {
      return fail(`Pipewatch may not read objects under ${shown}. Allow s3:GetObject on arn:aws:s3:::${b}/${prefix}* (and kms:Decrypt if the bucket is encrypted with a KMS key).`, err);
    }
    if (err instanceof AwsError && (err.code === "NotFound" || err.code === "NoSuchKey")) {
      return pass(`Pipewatch may list objects under ${shown}; ${key} was deleted before it could be read.`);
    }
    return common(err, s) ?? fail(`Reading ${key} under ${shown} failed.`, err);
  }
}

/**
 * The access checks of an S3 source, as Panther runs them: credentials first (when they fail the
 * others are not run: they could only fail the same way), then the bucket, then each prefix.
 */
export async function checkS3Access(env: Env, sourceId: string, s: S3Settings, now: Date): Promise<HealthCheck[]> {
  const checkedAt = now.toISOString();
  const prefixes = [...new Set(s.routes.map((r) => r.prefix))];
  const { outcome, client } = await credentials(env, sourceId, s);
  const checks: HealthCheck[] = [{ name: "credentials", ...outcome, checkedAt }];
  const rest: [string, () => Promise<Outcome>][] = [
    ["bucket", () => bucket(client!, s)],
    ...prefixes.map((p): [string, () => Promise<Outcome>] => [`objectAccess:${p}`, () => objectAccess(client!, s, p)]),
  ];
  for (const [name, run] of rest) {
    const result = client ? await run() : fail("Not checked: the credentials check failed.");
    checks.push({ name, ...result, checkedAt });
  }
  return checks;
}
