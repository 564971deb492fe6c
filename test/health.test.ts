import { describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";

describe("GET /api/health", () => {
  it("answers without a token and reports each storage check", async () => {
    const res = await exports.default.fetch("http://pw.test/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", version: expect.any(String), checks: { db: "ok", lake: "ok", queues: "ok" } });
    expect(res.headers.get("x-request-id")).toMatch(/[0-9a-f-]{36}/);
  });

  it("unknown routes answer the error body", async () => {
    const res = await exports.default.fetch("http://pw.test/api/nope", { headers: { authorization: "Bearer test-admin-token" } });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("NOT_FOUND");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  });
});
