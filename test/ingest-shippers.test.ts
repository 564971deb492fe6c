import { beforeAll, describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import { BASE, env } from "./helpers/api";
import { createHttpSource, createSchema } from "./helpers/factories";
import { lakeCounts } from "./helpers/ingest";
import { fluentBitRequest } from "./fixtures/shippers/fluent-bit";
import { vectorRequest } from "./fixtures/shippers/vector";
import { curlRequest } from "./fixtures/shippers/curl";
import type { ShipperRequest } from "./fixtures/shippers/request";

// A schema for what shippers send: a message, a level, and the shipper's own time field.
const SHIPPED = `version: 0
fields:
  - name: message
    type: string
    required: true
  - name: level
    type: string
  - name: date
    type: timestamp
    timeFormats: [unix, rfc3339]
    isEventTime: true
  - name: timestamp
    type: timestamp
    timeFormat: rfc3339
    isEventTime: true
`;

const records = [
  { message: "user login", level: "info" },
  { message: "user logout ☕", level: "info" },
  { message: "disk full", level: "error" },
];

async function replay(sourceId: string, req: ShipperRequest) {
  const res = await exports.default.fetch(`${BASE}/http/${sourceId}`, { method: req.method, headers: req.headers, body: req.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function storedMessages(sourceId: string) {
  const { results } = await env.LAKE.prepare("SELECT body, p_event_time FROM events WHERE p_source_id = ? ORDER BY p_row_id")
    .bind(sourceId)
    .all<{ body: string; p_event_time: string }>();
  return results.map((r) => ({ ...JSON.parse(r.body), p_event_time: r.p_event_time }));
}

beforeAll(() => createSchema("Custom.Shipped", SHIPPED));

describe("shippers' documented requests", () => {
  it.each([
    ["json_lines", undefined],
    ["json_lines", "gzip"],
    ["json", undefined],
    ["json", "gzip"],
  ] as const)("Fluent Bit http output, format %s, compress %s", async (format, compress) => {
    const src = await createHttpSource({ logTypes: ["Custom.Shipped"], authHeaderKey: "X-Api-Key", authSecretValue: "fluent-secret-1" });
    const req = await fluentBitRequest(records, { format, compress, headers: { "X-Api-Key": "fluent-secret-1" } });
    expect(await replay(src.integrationId, req)).toEqual({ status: 200, body: { accepted: 3, classified: 3, failed: 0 } });
    const stored = await storedMessages(src.integrationId);
    expect(stored.map((s) => s.message)).toEqual(["user login", "user logout ☕", "disk full"]);
    // Fluent Bit's default json_date_format is a double of epoch seconds: 1718000000.123456789.
    expect(stored[0].p_event_time).toBe("2024-06-10T06:13:20.123Z");
  });

  it("Fluent Bit with Basic auth and an ISO 8601 date", async () => {
    const src = await createHttpSource({ logTypes: ["Custom.Shipped"], authMethod: "Basic", authHeaderKey: undefined, authSecretValue: undefined, authUsername: "fluent", authPassword: "fluent-pass-1" });
    const req = await fluentBitRequest(records, { format: "json_lines", compress: "gzip", jsonDateKey: "timestamp", jsonDateFormat: "iso8601", httpUser: "fluent", httpPasswd: "fluent-pass-1" });
    expect((await replay(src.integrationId, req)).body).toEqual({ accepted: 3, classified: 3, failed: 0 });
    const wrong = await fluentBitRequest(records, { format: "json_lines", httpUser: "fluent", httpPasswd: "nope-nope-1" });
    expect((await replay(src.integrationId, wrong)).status).toBe(401);
  });

  it.each(["newline_delimited", "json_array"] as const)("Vector http sink, framing %s, gzip, bearer token", async (framing) => {
    const src = await createHttpSource({ logTypes: ["Custom.Shipped"], authMethod: "Bearer", authHeaderKey: undefined, authSecretValue: undefined, authBearerToken: "vector-token-1" });
    const req = await vectorRequest(records, { framing, compression: "gzip", auth: { strategy: "bearer", token: "vector-token-1" } });
    expect(await replay(src.integrationId, req)).toEqual({ status: 200, body: { accepted: 3, classified: 3, failed: 0 } });
    const bad = await vectorRequest(records, { framing, auth: { strategy: "bearer", token: "vector-token-2" } });
    expect((await replay(src.integrationId, bad)).status).toBe(401);
  });

  it("curl with an HMAC signature over the gzipped body, with and without a sha256= prefix", async () => {
    const src = await createHttpSource({ logTypes: ["Custom.Shipped"], authMethod: "HMAC", authHeaderKey: "X-Signature", authSecretValue: "hmac-key-0001", authHmacAlg: "sha256" });
    const body = records.map((r) => JSON.stringify(r)).join("\n");
    const signed = await curlRequest(body, { gzip: true, contentType: "application/x-ndjson", hmac: { header: "X-Signature", secret: "hmac-key-0001" } });
    expect((await replay(src.integrationId, signed)).body).toEqual({ accepted: 3, classified: 3, failed: 0 });
    const prefixed = await curlRequest(body + "\n", { hmac: { header: "X-Signature", secret: "hmac-key-0001", prefix: true } });
    expect((await replay(src.integrationId, prefixed)).status).toBe(200);
    const forged = await curlRequest(body, { hmac: { header: "X-Signature", secret: "another-key-01" } });
    expect((await replay(src.integrationId, forged)).status).toBe(401);
    const sha512 = await curlRequest(body, { hmac: { header: "X-Signature", secret: "hmac-key-0001", alg: "sha512" } });
    expect((await replay(src.integrationId, sha512)).status).toBe(401);
  });

  it("None accepts anything; a JSON array body on an Auto source is split into its elements", async () => {
    const src = await createHttpSource({ logTypes: ["Custom.Shipped"], authMethod: "None", authHeaderKey: undefined, authSecretValue: undefined });
    const req = await curlRequest(JSON.stringify(records), { contentType: "application/json" });
    expect((await replay(src.integrationId, req)).body).toEqual({ accepted: 3, classified: 3, failed: 0 });
    expect(await lakeCounts(src.integrationId)).toEqual({ events: 3, failures: 0 });
  });
});
