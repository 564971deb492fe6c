import type { S3Settings } from "../sources/s3-source";
import { S3Client } from "./client";
import { assumeRole } from "./sts";

export interface SourceClient {
  client: S3Client;
  /** The role the client acts as; null with an access key. */
  assumedRoleArn: string | null;
}

/**
 * An S3 client acting for a source: with its access key, or as its role (assumed through STS
 * with Pipewatch's own identity; the session is cached per isolate). Throws an AwsError when the
 * role cannot be assumed.
 */
export async function clientForSource(env: Env, sourceId: string, settings: S3Settings): Promise<SourceClient> {
  const creds = settings.credentials;
  if (creds.kind === "accessKey") {
    return { client: new S3Client(settings.location, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }), assumedRoleArn: null };
  }
  const session = await assumeRole(env, {
    roleArn: creds.roleArn,
    externalId: creds.externalId,
    region: settings.location.region,
    sessionName: `pipewatch-${sourceId}`,
  });
  return { client: new S3Client(settings.location, session), assumedRoleArn: creds.roleArn };
}
