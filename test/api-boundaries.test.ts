import { beforeAll, describe, expect, it } from "vitest";
import { api, tokenFor } from "./helpers/api";
import { createHttpSource, seedSchema } from "./helpers/factories";
import { createS3Source } from "./helpers/s3";

// Every mutating /api endpoint against the bad forms every outside input must survive. Ids that
// exist are filled in before the run, so each answer is about the request, not a missing id.
let ids: { source: string; s3Source: string };
let readOnly: string;
const endpoints = (): [string, string][] => [
  ["POST", "/api/api-tokens"],
  ["POST", "/api/log-sources/http"],
  ["PUT", `/api/log-sources/http/${ids.source}`],
  ["POST", "/api/log-sources/s3"],
  ["PUT", `/api/log-sources/s3/${ids.s3Source}`],
  ["PUT", `/api/log-source-alarms/${ids.source}/SOURCE_NO_DATA`],
  ["PUT", "/api/schemas/Custom.Boundary"],
  ["POST", "/api/alert-destinations"],
];

beforeAll(async () => {
  await seedSchema("Custom.Test");
  ids = { source: (await createHttpSource()).integrationId, s3Source: (await createS3Source("pipewatch-logs")).integrationId };
  readOnly = (await tokenFor("ReadOnly")).token;
});

describe("every mutating endpoint", () => {
  it("answers 401 without a token or with a wrong one", async () => {
    for (const [method, path] of endpoints()) {
      expect((await api(path, { method, body: {}, token: null })).status, `${method} ${path}`).toBe(401);
      expect((await api(path, { method, body: {}, token: "pw_wrong" })).status, `${method} ${path}`).toBe(401);
    }
  });

  it("answers 403 to a ReadOnly token", async () => {
    for (const [method, path] of endpoints()) {
      const res = await api(path, { method, body: {}, token: readOnly });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
    }
  });

  it("answers 400 MALFORMED_JSON, 400 VALIDATION_FAILED with details, 415 and 413", async () => {
    for (const [method, path] of endpoints()) {
      const where = `${method} ${path}`;
      const malformed = await api(path, { method, raw: '{"a":', headers: { "content-type": "application/json" } });
      expect(malformed.status, where).toBe(400);
      expect(malformed.body.error.code, where).toBe("MALFORMED_JSON");
      const wrong = await api(path, { method, body: { surprise: true } });
      expect(wrong.status, where).toBe(400);
      expect(wrong.body.error.details.length, where).toBeGreaterThan(0);
      expect(wrong.body.error.requestId, where).toBe(wrong.headers.get("x-request-id"));
      expect((await api(path, { method, raw: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } })).status, where).toBe(415);
      const huge = await api(path, { method, raw: JSON.stringify({ x: "y".repeat(1_200_000) }), headers: { "content-type": "application/json" } });
      expect(huge.status, where).toBe(413);
    }
  });

  it("answers CORS preflights only for the configured dashboard origins", async () => {
    const allowed = await api("/api/log-sources", { method: "OPTIONS", token: null, headers: { origin: "http://localhost:5173", "access-control-request-method": "GET" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const other = await api("/api/log-sources", { method: "OPTIONS", token: null, headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sends secure headers", async () => {
    const res = await api("/api/health", { token: null });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});

describe("list endpoints", () => {
  it("answer 400 naming the parameter for bad query values", async () => {
    const cases: [string, string][] = [
      ["/api/alerts?status=DONE", "status"],
      ["/api/alerts?type=EVERYTHING", "type"],
      ["/api/alerts?severity=URGENT", "severity"],
      ["/api/notifications?unread=maybe", "unread"],
      ["/api/monitor/classification_failures?status=LOST", "status"],
      ["/api/monitor/classification_failures?since=yesterday", "since"],
      ["/api/monitor/data_audit?status=MAYBE", "status"],
      ["/api/audit-log?since=12", "since"],
      ["/api/log-sources?type=ftp", "type"],
      ["/api/deliveries?limit=0", "limit"],
      ["/api/schemas?cursor=%%%", "cursor"],
    ];
    for (const [path, param] of cases) {
      const res = await api(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path), path).toContain(param);
    }
  });
});
