import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { api, env } from "./helpers/api";
import { seedSchema } from "./helpers/factories";
import { drive } from "./helpers/delivery";
import { auditRows, createBucket, createS3Source, pollCapturing, putObject, S3_ENDPOINT } from "./helpers/s3";
import { assumeRoleOk, STS_ACCESS_DENIED } from "./fixtures/aws-xml";
import { setAwsIO } from "../worker/s3/io";
import { forgetAssumedRoles } from "../worker/s3/sts";

const ROLE = "arn:aws:iam::210987654321:role/PipewatchLogProcessing";

interface Seen {
  url: string;
  method: string;
  authorization: string;
  body: string;
}

/**
 * The AWS fetch of these tests: STS answers as AWS documents it (AssumeRole or AccessDenied),
 * everything else goes to the local S3 server for real. Records every request.
 */
function awsFetch(sts: { status: number; body: string }) {
  const seen: Seen[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const body = req.method === "POST" ? new TextDecoder().decode(await req.clone().arrayBuffer()) : "";
    seen.push({ url: req.url, method: req.method, authorization: req.headers.get("authorization") ?? "", body });
    if (new URL(req.url).hostname.startsWith("sts.")) return new Response(sts.body, { status: sts.status, headers: { "content-type": "text/xml" } });
    return fetch(req);
  };
  return { seen, fetch: fetchFn };
}

const checksOf = (body: { checks: { name: string; healthy: boolean }[] }) => Object.fromEntries(body.checks.map((c) => [c.name, c.healthy]));

async function openPermissionAlerts(sourceId: string) {
  const res = await api(`/api/alerts?type=SYSTEM_ERROR&subtype=SOURCE_PERMISSIONS_CHECKS&sourceId=${sourceId}&status=OPEN`);
  return res.body.results as { id: string; title: string }[];
}

beforeAll(() => seedSchema("Custom.Test"));
afterEach(() => {
  setAwsIO({ fetch: undefined });
  forgetAssumedRoles();
});

describe("S3 health checks against the local S3 server", () => {
  it("pass with a known key and an existing bucket; reading them does not call S3 again", async () => {
    const bucket = await createBucket();
    await putObject(bucket, "app/one.json", "{}");
    const src = await createS3Source(bucket, {
      s3PrefixLogTypes: [
        { prefix: "app/", logTypes: ["Custom.Test"], excludedPrefixes: [] },
        { prefix: "empty/", logTypes: ["Custom.Test"], excludedPrefixes: [] },
      ],
    });
    const aws = awsFetch({ status: 500, body: "" });
    setAwsIO({ fetch: aws.fetch });

    const run = await api(`/api/log-sources/${src.integrationId}/health-check`, { method: "POST" });
    expect(run.status).toBe(200);
    expect(run.body.isHealthy).toBe(true);
    expect(checksOf(run.body)).toEqual({ credentials: true, bucket: true, "objectAccess:app/": true, "objectAccess:empty/": true });
    const byName = Object.fromEntries(run.body.checks.map((c: { name: string }) => [c.name, c]));
    expect(byName.credentials.message).toBe(`${S3_ENDPOINT} accepts the access key S3RVER.`);
    expect(byName["objectAccess:app/"].message).toBe("Pipewatch may read objects under 'app/' (it read app/one.json).");
    expect(byName["objectAccess:empty/"].message).toMatch(/no object there yet/);
    const calls = aws.seen.length;
    expect(aws.seen.map((s) => s.method)).toContain("HEAD");
    expect(aws.seen.every((s) => s.authorization.includes("/us-east-1/s3/aws4_request"))).toBe(true);

    const read = await api(`/api/log-sources/${src.integrationId}/health`);
    expect(read.body.checks).toEqual(run.body.checks);
    expect(aws.seen.length).toBe(calls);
  });

  it("fail on an access key the server does not know, raise SOURCE_PERMISSIONS_CHECKS, and resolve once fixed", async () => {
    const bucket = await createBucket();
    const src = await createS3Source(bucket, { accessKeyId: "AKIAUNKNOWNKEY000001", secretAccessKey: "not-a-real-secret" });
    const run = await api(`/api/log-sources/${src.integrationId}/health-check`, { method: "POST" });
    expect(run.body.isHealthy).toBe(false);
    const [credentials, bucketCheck] = run.body.checks;
    expect(credentials).toMatchObject({
      name: "credentials",
      healthy: false,
      message: `${S3_ENDPOINT} does not know the access key AKIAUNKNOWNKEY000001: it was deleted, deactivated or mistyped. Create a key and update the source.`,
    });
    expect(credentials.rawErrorMessage).toMatch(/^InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records\. \(HTTP 403/);
    expect(bucketCheck).toMatchObject({ name: "bucket", healthy: false, message: "Not checked: the credentials check failed." });
    const [alert] = await openPermissionAlerts(src.integrationId);
    expect(alert.title).toMatch(/has turned unhealthy: credentials: .* does not know the access key/);
    expect((await api(`/api/log-sources/s3/${src.integrationId}`)).body.isHealthy).toBe(false);

    // The GET shows the stored results; a PUT with the right key, then a check, clears it all.
    expect((await api(`/api/log-sources/${src.integrationId}/health`)).body.checks).toEqual(run.body.checks);
    await api(`/api/log-sources/s3/${src.integrationId}`, { method: "PUT", body: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    const fixed = await api(`/api/log-sources/${src.integrationId}/health-check`, { method: "POST" });
    expect(fixed.body.isHealthy).toBe(true);
    expect(await openPermissionAlerts(src.integrationId)).toEqual([]);
    expect((await api(`/api/alerts/${alert.id}`)).body.status).toBe("RESOLVED");
  });

  it("fail the bucket check for a bucket that does not exist", async () => {
    const src = await createS3Source("pw-no-such-bucket-here");
    const run = await api(`/api/log-sources/${src.integrationId}/health-check`, { method: "POST" });
    const byName = Object.fromEntries(run.body.checks.map((c: { name: string }) => [c.name, c]));
    expect(byName.credentials.healthy).toBe(true);
    expect(byName.bucket).toMatchObject({ healthy: false, message: `The bucket pw-no-such-bucket-here does not exist at ${S3_ENDPOINT}. Check its name.` });
    expect(byName.bucket.rawErrorMessage).toMatch(/^NoSuchBucket: The specified bucket does not exist/);
    expect(byName["objectAccess:"]).toMatchObject({ healthy: false });
    expect((await openPermissionAlerts(src.integrationId))[0].title).toMatch(/: bucket: The bucket pw-no-such-bucket-here does not exist/);
  });
});

describe("S3 sources with a role", () => {
  it("assume the role through STS with Pipewatch's identity, then read the bucket as it", async () => {
    const bucket = await createBucket();
    await putObject(bucket, "r/one.json", JSON.stringify({ message: "hello", time: "2026-11-29T10:00:00Z" }));
    const src = await createS3Source(bucket, { accessKeyId: undefined, secretAccessKey: undefined, roleArn: ROLE, externalId: "pipewatch-ext-1" });
    expect(src).toMatchObject({ credentialsType: "role", roleArn: ROLE, externalId: "pipewatch-ext-1" });
    const aws = awsFetch({ status: 200, body: assumeRoleOk(ROLE, new Date(Date.now() + 3600_000).toISOString()) });
    setAwsIO({ fetch: aws.fetch });

    const run = await api(`/api/log-sources/${src.integrationId}/health-check`, { method: "POST" });
    expect(run.body.isHealthy).toBe(true);
    expect(run.body.checks[0].message).toMatch(new RegExp(`^Pipewatch assumed the role ${ROLE}; its session is valid until `));
    const sts = aws.seen.find((s) => s.url.startsWith("https://sts."))!;
    expect(sts.url).toBe("https://sts.us-east-1.amazonaws.com/");
    expect(sts.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAPIPEWATCHTEST001\/\d{8}\/us-east-1\/sts\/aws4_request/);
    expect(Object.fromEntries(new URLSearchParams(sts.body))).toEqual({
      Action: "AssumeRole",
      Version: "2011-06-15",
      RoleArn: ROLE,
      RoleSessionName: `pipewatch-${src.integrationId}`,
      DurationSeconds: "3600",
      ExternalId: "pipewatch-ext-1",
    });
    // S3 calls are signed with the role's temporary credentials.
    expect(aws.seen.filter((s) => !s.url.startsWith("https://sts.")).every((s) => s.authorization.includes("Credential=S3RVER/"))).toBe(true);

    const polled = await pollCapturing(src.integrationId);
    await drive("pipewatch-jobs", polled.messages);
    expect(await auditRows(src.integrationId)).toEqual([expect.objectContaining({ s3Key: "r/one.json", status: "SUCCESS", assumedRoleArn: ROLE })]);
    // The check's session served the poll and the read too: it is cached until shortly before it expires.
    expect(aws.seen.filter((s) => s.url.startsWith("https://sts.")).length).toBe(1);
  });

  it("report STS's AccessDenied as unhealthy credentials, with AWS's own words", async () => {
    const src = await createS3Source(await createBucket(), { accessKeyId: undefined, secretAccessKey: undefined, roleArn: ROLE });
    setAwsIO({ fetch: awsFetch({ status: 403, body: STS_ACCESS_DENIED }).fetch });
    const run = await api(`/api/log-sources/${src.integrationId}/health-check`, { method: "POST" });
    expect(run.body.checks[0]).toMatchObject({
      name: "credentials",
      healthy: false,
      message: `Pipewatch could not assume the role ${ROLE}. Check that the role's trust policy lets Pipewatch's AWS identity assume it.`,
      rawErrorMessage:
        "AccessDenied: User: arn:aws:iam::123456789012:user/pipewatch is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/PipewatchLogProcessing (HTTP 403, request c6104cbe-af31-11e0-8154-cbc7ccf896c7)",
    });
    expect(await openPermissionAlerts(src.integrationId)).toHaveLength(1);
    // The poll stops at the same refusal, without queuing anything.
    expect(await pollCapturing(src.integrationId)).toMatchObject({ queued: 0, error: expect.stringMatching(/^AccessDenied: User: /) });
  });

  it("say what to do when Pipewatch has no AWS identity of its own", async () => {
    const src = await createS3Source(await createBucket(), { accessKeyId: undefined, secretAccessKey: undefined, roleArn: ROLE });
    const { runHealthChecks } = await import("../worker/sources/health-runner");
    const { sourceRow } = await import("./helpers/s3");
    const health = await runHealthChecks({ ...env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" }, await sourceRow(src.integrationId));
    expect(health.checks[0]).toMatchObject({ name: "credentials", healthy: false, message: expect.stringMatching(/^Pipewatch has no AWS identity to assume roles with: set the Worker secrets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/) });
  });
});
