import { describe, expect, it } from "vitest";
import { curlRequest } from "../../test/fixtures/shippers/curl";
import { fluentBitRequest } from "../../test/fixtures/shippers/fluent-bit";
import type { LogRecord, ShipperRequest } from "../../test/fixtures/shippers/request";
import { vectorRequest } from "../../test/fixtures/shippers/vector";
import { verifyIngestAuth } from "./auth";
import { decodeBody, readRawBody, type LogStreamType } from "./decode";

const records: LogRecord[] = [
  { log: "GET /index.html 200", stream: "stdout", kubernetes: { pod: "web-1", labels: { app: "web" } } },
  { log: 'brace } bracket ] quote " backslash \\ newline \n tab \t', level: "warn" },
  { message: "utilisateur connecté: José 🔐", count: 3, ok: true, nothing: null, list: [1, [2, { x: "]" }]] },
];

async function decodeRequest(shipped: ShipperRequest, logStreamType: LogStreamType) {
  const request = new Request("https://pipewatch.test/http/src_1", shipped);
  const decoded = decodeBody(request.body, { contentEncoding: request.headers.get("Content-Encoding"), logStreamType });
  const texts: string[] = [];
  for await (const chunk of decoded) for (const r of chunk) texts.push(r.text);
  return { parsed: texts.map((t) => JSON.parse(t) as LogRecord), summary: decoded.summary, request };
}

describe("Fluent Bit http output", () => {
  for (const format of ["json_lines", "json"] as const) {
    for (const compress of [undefined, "gzip"] as const) {
      it(`format ${format}${compress ? ", compress gzip" : ""} decodes to the records sent`, async () => {
        const batch = await fluentBitRequest(records, { format, compress, headers: { "X-Api-Key": "k" } });
        expect(batch.headers["Content-Type"]).toBe(format === "json" ? "application/json" : "application/x-ndjson");
        expect(batch.headers["User-Agent"]).toBe("Fluent-Bit");
        expect(batch.headers["Content-Encoding"]).toBe(compress);
        for (const type of ["Auto", format === "json" ? "JsonArray" : "JSON"] as const) {
          const { parsed, summary } = await decodeRequest(batch, type);
          expect(parsed).toEqual(batch.sent);
          expect(summary).toMatchObject({ records: 3, blankLines: 0, encoding: compress ?? "identity" });
        }
        if (format === "json_lines") expect((await decodeRequest(batch, "Lines")).parsed).toEqual(batch.sent);
      });
    }
  }

  it("puts the time first under json_date_key, in each json_date_format", async () => {
    const expected: [string, unknown][] = [
      ["double", 1718000000.123457],
      ["epoch", 1718000000],
      ["epoch_ms", 1718000000123],
      ["iso8601", "2024-06-10T06:13:20.123456Z"],
      ["java_sql_timestamp", "2024-06-10 06:13:20.123456"],
    ];
    for (const [jsonDateFormat, value] of expected) {
      const batch = await fluentBitRequest(records.slice(0, 1), {
        format: "json_lines",
        jsonDateKey: "timestamp",
        jsonDateFormat: jsonDateFormat as "double",
      });
      const { parsed } = await decodeRequest(batch, "Auto");
      expect(Object.keys(parsed[0])[0]).toBe("timestamp");
      expect(parsed[0].timestamp).toBe(value);
    }
    const noDate = await fluentBitRequest(records, { format: "json", jsonDateKey: false });
    expect((await decodeRequest(noDate, "Auto")).parsed).toEqual(records);
  });

  it("authenticates with its header or http_User/http_Passwd", async () => {
    const withHeader = await fluentBitRequest(records, { format: "json_lines", headers: { "X-Api-Key": "fb-secret" } });
    const config = { authMethod: "SharedSecret", authHeaderKey: "X-Api-Key" } as const;
    const ok = await verifyIngestAuth(config, { authSecretValue: "fb-secret" }, new Headers(withHeader.headers));
    expect(ok.status).toBe("ok");
    const withBasic = await fluentBitRequest(records, { format: "json_lines", httpUser: "fluent", httpPasswd: "bit-pass" });
    const basic = await verifyIngestAuth(
      { authMethod: "Basic", authUsername: "fluent" },
      { authPassword: "bit-pass" },
      new Headers(withBasic.headers),
    );
    expect(basic.status).toBe("ok");
  });
});

describe("Vector http sink", () => {
  for (const framing of ["newline_delimited", "json_array"] as const) {
    for (const compression of ["none", "gzip"] as const) {
      it(`codec json, framing ${framing}, compression ${compression} decodes to the events sent`, async () => {
        const batch = await vectorRequest(records, { framing, compression, auth: { strategy: "bearer", token: "vec-token" } });
        expect(batch.headers["content-type"]).toBe(framing === "newline_delimited" ? "application/x-ndjson" : "application/json");
        expect(batch.headers["user-agent"]).toMatch(/^Vector\//);
        const { parsed, summary, request } = await decodeRequest(batch, "Auto");
        expect(parsed).toEqual(batch.sent);
        expect(parsed).toEqual(records);
        expect(summary.encoding).toBe(compression === "gzip" ? "gzip" : "identity");
        const auth = await verifyIngestAuth({ authMethod: "Bearer" }, { authBearerToken: "vec-token" }, request.headers);
        expect(auth.status).toBe("ok");
      });
    }
  }
});

describe("curl", () => {
  const ndjson = records.map((r) => JSON.stringify(r)).join("\n") + "\n";

  it("posts NDJSON as is, gzip announced or not, and with an HMAC of the body as sent", async () => {
    for (const gzip of [false, true]) {
      for (const contentEncoding of [true, false]) {
        const shipped = await curlRequest(ndjson, {
          contentType: "application/x-ndjson",
          gzip,
          contentEncoding,
          hmac: { header: "X-Signature", secret: "hmac-key", prefix: true },
        });
        const request = new Request("https://pipewatch.test/http/src_1", shipped);
        const config = { authMethod: "HMAC", authHeaderKey: "X-Signature", authHmacAlg: "sha256" } as const;
        const secrets = { authSecretValue: "hmac-key" };
        expect((await verifyIngestAuth(config, secrets, request.headers)).status).toBe("needs-body");
        const raw = await readRawBody(request.body);
        expect((await verifyIngestAuth(config, secrets, request.headers, raw.bytes)).status).toBe("ok");
        const decoded = decodeBody(raw.bytes, { contentEncoding: request.headers.get("Content-Encoding"), logStreamType: "Lines" });
        const parsed: LogRecord[] = [];
        for await (const chunk of decoded) for (const r of chunk) parsed.push(JSON.parse(r.text));
        expect(parsed).toEqual(records);
        expect(decoded.summary.rawSha256).toBe(raw.sha256);
      }
    }
  });
});
