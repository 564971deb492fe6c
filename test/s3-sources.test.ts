import { beforeAll, describe, expect, it } from "vitest";
import { api, env, errorOf, tokenFor } from "./helpers/api";
import { createHttpSource, seedSchema, unique } from "./helpers/factories";
import { createS3Source, s3SourceBody, S3_ENDPOINT } from "./helpers/s3";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
const ROLE = "arn:aws:iam::123456789012:role/PipewatchLogProcessing";
const body = (overrides: Record<string, unknown> = {}) => s3SourceBody("pipewatch-logs", { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET, ...overrides });
const post = (b: unknown) => api("/api/log-sources/s3", { body: b });
const secretsOf = async (id: string) => JSON.parse((await env.DB.prepare("SELECT secrets FROM log_sources WHERE id = ?").bind(id).first<{ secrets: string }>())!.secrets);

beforeAll(async () => {
  await seedSchema("Custom.Test");
  await seedSchema("Custom.Other");
});

describe("POST /api/log-sources/s3", () => {
  it("creates a source with an access key, the secret masked, and the default 24-hour drop-off alarm", async () => {
    const res = await post(body({ integrationLabel: "CloudTrail bucket", s3PrefixLogTypes: [{ prefix: "AWSLogs/", logTypes: ["Custom.Test", "Custom.Other"] }, { prefix: "elb/", logTypes: ["Custom.Test"], excludedPrefixes: ["elb/tmp/"] }] }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      integrationLabel: "CloudTrail bucket",
      integrationType: "s3",
      logTypes: ["Custom.Test", "Custom.Other"],
      logStreamType: "Lines",
      enabled: true,
      isHealthy: true,
      s3Bucket: "pipewatch-logs",
      region: "us-east-1",
      endpoint: S3_ENDPOINT,
      s3PrefixLogTypes: [
        { prefix: "AWSLogs/", logTypes: ["Custom.Test", "Custom.Other"], excludedPrefixes: [] },
        { prefix: "elb/", logTypes: ["Custom.Test"], excludedPrefixes: ["elb/tmp/"] },
      ],
      credentialsType: "accessKey",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "********",
      dropOffAlarm: { minutesThreshold: 1440 },
    });
    expect(res.body.roleArn).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const id = res.body.integrationId;
    expect(await secretsOf(id)).toEqual({ secretAccessKey: SECRET });

    expect((await api(`/api/log-sources/s3/${id}`)).body).toEqual(res.body);
    expect((await api(`/api/log-sources/${id}`)).body).toEqual(res.body);
    const all = await api("/api/log-sources?type=s3");
    expect(all.body.results.find((s: { integrationId: string }) => s.integrationId === id)).toMatchObject({ integrationType: "s3", logTypes: ["Custom.Test", "Custom.Other"] });
    const s3List = await api("/api/log-sources/s3");
    expect(s3List.body.results.find((s: { integrationId: string }) => s.integrationId === id)).toEqual(res.body);
    expect(JSON.stringify([all.body, s3List.body])).not.toContain(SECRET);
  });

  it("creates a source that assumes a role, on AWS (no endpoint), with an explicit drop-off threshold or none", async () => {
    const res = await post(body({ accessKeyId: undefined, secretAccessKey: undefined, endpoint: undefined, roleArn: ROLE, externalId: "ext-123", region: "eu-west-1", dropOffAlarm: { minutesThreshold: 90 } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ credentialsType: "role", roleArn: ROLE, externalId: "ext-123", endpoint: null, region: "eu-west-1", dropOffAlarm: { minutesThreshold: 90 } });
    expect(res.body.accessKeyId).toBeUndefined();
    expect(res.body.secretAccessKey).toBeUndefined();
    const none = await post(body({ dropOffAlarm: null }));
    expect(none.body.dropOffAlarm).toBeNull();
  });

  it("refuses malformed JSON, unknown fields and wrong types, naming each field", async () => {
    const malformed = await api("/api/log-sources/s3", { raw: '{"integrationLabel":', headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed).code).toBe("MALFORMED_JSON");
    const notJson = await api("/api/log-sources/s3", { raw: "bucket=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(notJson.status).toBe(415);
    const unknown = await post(body({ kmsKey: "arn:aws:kms:x", s3PrefixLogTypes: [{ prefix: "", logTypes: ["Custom.Test"], color: "red" }] }));
    expect(errorOf(unknown).code).toBe("VALIDATION_FAILED");
    expect(errorOf(unknown).paths.sort()).toEqual(["kmsKey", "s3PrefixLogTypes[0].color"]);
    const types = await post(body({ s3Bucket: 7, s3PrefixLogTypes: "Custom.Test", logStreamType: "XML", accessKeyId: 12 }));
    expect(errorOf(types).paths.sort()).toEqual(["accessKeyId", "logStreamType", "s3Bucket", "s3PrefixLogTypes"]);
    const missing = await post({ integrationLabel: unique("s3") });
    expect(errorOf(missing).paths.sort()).toEqual(["logStreamType", "region", "s3Bucket", "s3PrefixLogTypes"]);
    const empty = await post(body({ s3PrefixLogTypes: [] }));
    expect(errorOf(empty).paths).toEqual(["s3PrefixLogTypes"]);
    const noTypes = await post(body({ s3PrefixLogTypes: [{ prefix: "a/", logTypes: [] }] }));
    expect(errorOf(noTypes).paths).toEqual(["s3PrefixLogTypes[0].logTypes"]);
  });

  it("needs an access key or a role, not both, with their companions", async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ accessKeyId: undefined, secretAccessKey: undefined }, ["accessKeyId"]],
      [{ roleArn: ROLE }, ["roleArn"]],
      [{ secretAccessKey: undefined }, ["secretAccessKey"]],
      [{ accessKeyId: undefined }, ["accessKeyId"]],
      [{ externalId: "ext-123" }, ["externalId"]],
      [{ accessKeyId: undefined, secretAccessKey: undefined, roleArn: "arn:aws:iam::123:role/x" }, ["roleArn"]],
      [{ accessKeyId: undefined, secretAccessKey: undefined, roleArn: ROLE, externalId: "has space" }, ["externalId"]],
      [{ secretAccessKey: "has a space" }, ["secretAccessKey"]],
    ];
    for (const [overrides, paths] of cases) {
      const res = await post(body(overrides));
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(errorOf(res).paths, JSON.stringify(overrides)).toEqual(paths);
    }
    const neither = await post(body({ accessKeyId: undefined, secretAccessKey: undefined }));
    expect(neither.body.error.details[0].message).toBe("give an access key (accessKeyId and secretAccessKey) or a role to assume (roleArn)");
  });

  it("refuses bad bucket names, regions and endpoints", async () => {
    for (const s3Bucket of ["My_Bucket", "ab", "192.168.1.1", "a..b", "-abc", "abc-", "xn--abc", "a".repeat(64), "bucket-s3alias"]) {
      expect(errorOf(await post(body({ s3Bucket }))).paths, s3Bucket).toEqual(["s3Bucket"]);
    }
    for (const s3Bucket of ["abc", "my.log.bucket", "logs-2026", "a".repeat(63)]) {
      expect((await post(body({ s3Bucket }))).status, s3Bucket).toBe(201);
    }
    for (const region of ["US-EAST-1", "mars", "us-east", "", "eu-west-1 "]) {
      expect(errorOf(await post(body({ region }))).paths, region).toEqual(["region"]);
    }
    expect((await post(body({ region: "auto", endpoint: "https://0123456789abcdef.r2.cloudflarestorage.com" }))).status).toBe(201);
    expect((await post(body({ region: "us-gov-west-1" }))).status).toBe(201);
    for (const endpoint of ["ftp://files.example.com", "not a url", "https://user:pw@s3.example.com", "https://s3.example.com/?x=1", "javascript:alert(1)"]) {
      expect(errorOf(await post(body({ endpoint }))).paths, endpoint).toEqual(["endpoint"]);
    }
  });

  it("refuses unknown log types, twice the same prefix, and an alarm out of range", async () => {
    const unknownType = await post(body({ s3PrefixLogTypes: [{ prefix: "", logTypes: ["Custom.Test"] }, { prefix: "x/", logTypes: ["Custom.Test", "Custom.Nope"] }] }));
    expect(errorOf(unknownType).paths).toEqual(["s3PrefixLogTypes[1].logTypes[1]"]);
    expect(unknownType.body.error.details[0].message).toMatch(/no schema named 'Custom.Nope'/);
    const dup = await post(body({ s3PrefixLogTypes: [{ prefix: "a/", logTypes: ["Custom.Test"] }, { prefix: "a/", logTypes: ["Custom.Other"] }] }));
    expect(errorOf(dup).paths).toEqual(["s3PrefixLogTypes[1].prefix"]);
    const low = await post(body({ dropOffAlarm: { minutesThreshold: 5 } }));
    expect(errorOf(low).paths).toEqual(["dropOffAlarm.minutesThreshold"]);
  });

  it("refuses a label already used by any source with 409", async () => {
    const http = await createHttpSource();
    const dup = await post(body({ integrationLabel: http.integrationLabel }));
    expect(dup.status).toBe(409);
    expect(errorOf(dup)).toEqual({ code: "CONFLICT", paths: ["integrationLabel"] });
  });
});

describe("PUT /api/log-sources/s3/:id", () => {
  it("updates partially: keeps a masked secret, rotates it, pauses, switches between key and role", async () => {
    const src = await createS3Source("pipewatch-logs", { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET });
    const id = src.integrationId;
    // Read-only fields are not settable: send the editable ones back.
    const readOnly = await api(`/api/log-sources/s3/${id}`, { method: "PUT", body: { ...src, enabled: false } });
    expect(errorOf(readOnly).paths).toContain("integrationId");
    const { integrationId: _i, integrationType: _t, isHealthy: _h, lastEventReceivedAt: _r, lastEventProcessedAt: _p, createdAt: _c, createdBy: _b, updatedAt: _u, credentialsType: _k, logTypes: _l, ...editable } = src;
    const again = await api(`/api/log-sources/s3/${id}`, { method: "PUT", body: { ...editable, enabled: false } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ enabled: false, secretAccessKey: "********" });
    expect(await secretsOf(id)).toEqual({ secretAccessKey: SECRET });

    await api(`/api/log-sources/s3/${id}`, { method: "PUT", body: { secretAccessKey: "rotated-secret-key-2" } });
    expect(await secretsOf(id)).toEqual({ secretAccessKey: "rotated-secret-key-2" });

    const toRole = await api(`/api/log-sources/s3/${id}`, { method: "PUT", body: { roleArn: ROLE } });
    expect(toRole.status).toBe(200);
    expect(toRole.body).toMatchObject({ credentialsType: "role", roleArn: ROLE, enabled: false });
    expect(toRole.body.accessKeyId).toBeUndefined();
    expect(await secretsOf(id)).toEqual({});
    const both = await api(`/api/log-sources/s3/${id}`, { method: "PUT", body: { roleArn: ROLE, accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET } });
    expect(errorOf(both).paths).toEqual(["roleArn"]);
    const toKey = await api(`/api/log-sources/s3/${id}`, { method: "PUT", body: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET, endpoint: null } });
    expect(toKey.body).toMatchObject({ credentialsType: "accessKey", endpoint: null });
    expect(toKey.body.roleArn).toBeUndefined();

    const bad = await api(`/api/log-sources/s3/${id}`, { method: "PUT", body: { region: "nowhere", s3PrefixLogTypes: [{ prefix: "", logTypes: ["bad name"] }], enabled: "no" } });
    expect(errorOf(bad).paths.sort()).toEqual(["enabled", "region", "s3PrefixLogTypes[0].logTypes[0]"]);
  });
});

describe("S3 source lookups, permissions and audit", () => {
  it("answers 404 for unknown ids and for sources of another kind", async () => {
    const http = await createHttpSource();
    const s3 = await createS3Source("pipewatch-logs");
    for (const [method, path] of [
      ["GET", "/api/log-sources/s3/nope"],
      ["PUT", "/api/log-sources/s3/nope"],
      ["DELETE", "/api/log-sources/s3/nope"],
      ["GET", `/api/log-sources/s3/${http.integrationId}`],
      ["DELETE", `/api/log-sources/s3/${http.integrationId}`],
      ["GET", `/api/log-sources/http/${s3.integrationId}`],
      ["DELETE", "/api/log-sources/s3/audit"],
    ] as const) {
      const res = await api(path, { method, body: method === "PUT" ? { enabled: true } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(errorOf(res).code).toBe("NOT_FOUND");
    }
  });

  it("lets ReadOnly and Analyst tokens read but not change S3 sources", async () => {
    const src = await createS3Source("pipewatch-logs");
    for (const role of ["ReadOnly", "Analyst"] as const) {
      const { token } = await tokenFor(role);
      expect((await api(`/api/log-sources/s3/${src.integrationId}`, { token })).status).toBe(200);
      expect((await api("/api/log-sources/s3", { token, body: body() })).status).toBe(403);
      expect((await api(`/api/log-sources/s3/${src.integrationId}`, { token, method: "PUT", body: { enabled: false } })).status).toBe(403);
      expect((await api(`/api/log-sources/s3/${src.integrationId}`, { token, method: "DELETE" })).status).toBe(403);
    }
    expect((await api("/api/log-sources/s3", { token: null, body: body() })).status).toBe(401);
  });

  it("audits create, update and delete without the secret, and deletes for good", async () => {
    const src = await createS3Source("pipewatch-logs", { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET });
    await api(`/api/log-sources/s3/${src.integrationId}`, { method: "PUT", body: { enabled: false, secretAccessKey: "another-secret-key-9" } });
    const del = await api(`/api/log-sources/s3/${src.integrationId}`, { method: "DELETE" });
    expect(del.body).toEqual({ integrationId: src.integrationId, deleted: true });
    expect((await api(`/api/log-sources/s3/${src.integrationId}`)).status).toBe(404);
    const log = await api(`/api/audit-log?targetId=${src.integrationId}`);
    expect(log.body.results.map((e: { action: string }) => e.action)).toEqual(["log_source.delete", "log_source.update", "log_source.create"]);
    expect(log.body.results[2].details).toMatchObject({ s3Bucket: "pipewatch-logs", accessKeyId: "AKIAIOSFODNN7EXAMPLE" });
    expect(log.body.results[1].details).toMatchObject({ enabled: false });
    const text = JSON.stringify(log.body);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("another-secret-key-9");
  });
});
