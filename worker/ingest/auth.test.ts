import { describe, expect, it } from "vitest";
import { toHex } from "../auth/tokens";
import {
  needsRawBody,
  verifyIngestAuth,
  type HmacAlg,
  type IngestAuthConfig,
  type IngestAuthSecrets,
} from "./auth";

const enc = new TextEncoder();
const SECRET = "s3cr3t-value-0123456789";

async function hmacHex(alg: HmacAlg, key: string, body: Uint8Array): Promise<string> {
  const hash = { sha256: "SHA-256", sha512: "SHA-512", sha1: "SHA-1" }[alg];
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", k, body));
}

const basic = (user: string, password: string) =>
  `Basic ${btoa(String.fromCharCode(...enc.encode(`${user}:${password}`)))}`;

async function check(config: IngestAuthConfig, secrets: IngestAuthSecrets, headers: Record<string, string>, body?: Uint8Array) {
  return verifyIngestAuth(config, secrets, new Headers(headers), body);
}

const refusedFor = (reason: string) => expect.objectContaining({ status: "refused", reason });

describe("verifyIngestAuth", () => {
  it("None lets everything through, and only HMAC needs the body", async () => {
    expect(await check({ authMethod: "None" }, {}, {})).toEqual({ status: "ok" });
    expect(needsRawBody({ authMethod: "HMAC" })).toBe(true);
    for (const m of ["None", "SharedSecret", "Bearer", "Basic"] as const) expect(needsRawBody({ authMethod: m })).toBe(false);
  });

  describe("SharedSecret", () => {
    const config: IngestAuthConfig = { authMethod: "SharedSecret", authHeaderKey: "X-Api-Key" };
    const secrets = { authSecretValue: SECRET };

    it("accepts the secret in the configured header, whatever its case", async () => {
      expect(await check(config, secrets, { "x-api-key": SECRET })).toEqual({ status: "ok" });
    });

    it("refuses a wrong, missing or differently-placed secret", async () => {
      expect(await check(config, secrets, { "X-Api-Key": `${SECRET}x` })).toEqual(refusedFor("invalid-credentials"));
      expect(await check(config, secrets, { "X-Api-Key": SECRET.slice(0, -1) })).toEqual(refusedFor("invalid-credentials"));
      expect(await check(config, secrets, {})).toEqual(refusedFor("missing-credentials"));
      expect(await check(config, secrets, { Authorization: SECRET })).toEqual(refusedFor("missing-credentials"));
    });

    it("never lets a source without a secret through", async () => {
      expect(await check(config, {}, { "X-Api-Key": "" })).toEqual(refusedFor("misconfigured"));
      expect(await check(config, { authSecretValue: "" }, { "X-Api-Key": "" })).toEqual(refusedFor("misconfigured"));
      expect(await check({ authMethod: "SharedSecret" }, secrets, { "X-Api-Key": SECRET })).toEqual(refusedFor("misconfigured"));
    });

    it("never puts the secret or what was sent in its message", async () => {
      const result = await check(config, secrets, { "X-Api-Key": "guess-123" });
      expect(JSON.stringify(result)).not.toMatch(/s3cr3t|guess-123/);
    });
  });

  describe("HMAC", () => {
    const body = enc.encode('{"a":1}\n{"b":2}\n');

    it("accepts the hex HMAC of the raw body, bare or with the algorithm prefix, for each algorithm", async () => {
      for (const alg of ["sha256", "sha512", "sha1"] as const) {
        const config: IngestAuthConfig = { authMethod: "HMAC", authHeaderKey: "X-Signature", authHmacAlg: alg };
        const mac = await hmacHex(alg, SECRET, body);
        for (const header of [mac, mac.toUpperCase(), `${alg}=${mac}`, `${alg.toUpperCase()}=${mac}`]) {
          expect(await check(config, { authSecretValue: SECRET }, { "X-Signature": header }, body)).toEqual({ status: "ok" });
        }
      }
    });

    it("asks for the body once the header looks right, and refuses a bad header before it", async () => {
      const config: IngestAuthConfig = { authMethod: "HMAC", authHeaderKey: "X-Signature" };
      const mac = await hmacHex("sha256", SECRET, body);
      expect(await check(config, { authSecretValue: SECRET }, { "X-Signature": mac })).toEqual({ status: "needs-body" });
      expect(await check(config, { authSecretValue: SECRET }, {})).toEqual(refusedFor("missing-credentials"));
      expect(await check(config, { authSecretValue: SECRET }, { "X-Signature": "zz" })).toEqual(refusedFor("malformed-credentials"));
    });

    it("refuses a wrong HMAC, another key, another body, or another algorithm", async () => {
      const config: IngestAuthConfig = { authMethod: "HMAC", authHeaderKey: "X-Signature", authHmacAlg: "sha256" };
      const secrets = { authSecretValue: SECRET };
      const good = await hmacHex("sha256", SECRET, body);
      const flipped = (good[0] === "0" ? "1" : "0") + good.slice(1);
      expect(await check(config, secrets, { "X-Signature": flipped }, body)).toEqual(refusedFor("invalid-credentials"));
      const otherKey = await hmacHex("sha256", "other", body);
      expect(await check(config, secrets, { "X-Signature": otherKey }, body)).toEqual(refusedFor("invalid-credentials"));
      expect(await check(config, secrets, { "X-Signature": good }, enc.encode("tampered"))).toEqual(
        refusedFor("invalid-credentials"),
      );
      const sha1 = await hmacHex("sha1", SECRET, body);
      expect(await check(config, secrets, { "X-Signature": `sha1=${sha1}` }, body)).toEqual(refusedFor("malformed-credentials"));
      expect(await check(config, secrets, { "X-Signature": sha1 }, body)).toEqual(refusedFor("malformed-credentials"));
      const sha512 = await hmacHex("sha512", SECRET, body);
      expect(await check(config, secrets, { "X-Signature": `sha256=${sha512}` }, body)).toEqual(
        refusedFor("malformed-credentials"),
      );
    });

    it("signs the body as sent, so a gzip body is verified before decompression", async () => {
      const gz = new Uint8Array(await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
      const config: IngestAuthConfig = { authMethod: "HMAC", authHeaderKey: "X-Signature" };
      const mac = await hmacHex("sha256", SECRET, gz);
      expect(await check(config, { authSecretValue: SECRET }, { "X-Signature": mac }, gz)).toEqual({ status: "ok" });
      expect(await check(config, { authSecretValue: SECRET }, { "X-Signature": mac }, body)).toEqual(
        refusedFor("invalid-credentials"),
      );
    });
  });

  describe("Bearer", () => {
    const config: IngestAuthConfig = { authMethod: "Bearer" };
    const secrets = { authBearerToken: "tok_abc.DEF-123" };

    it("accepts the token, with the scheme in any case", async () => {
      expect(await check(config, secrets, { Authorization: "Bearer tok_abc.DEF-123" })).toEqual({ status: "ok" });
      expect(await check(config, secrets, { Authorization: "bearer   tok_abc.DEF-123" })).toEqual({ status: "ok" });
    });

    it("refuses a wrong token, another scheme or no header", async () => {
      expect(await check(config, secrets, { Authorization: "Bearer tok_abc.DEF-124" })).toEqual(refusedFor("invalid-credentials"));
      expect(await check(config, secrets, { Authorization: "Basic tok_abc.DEF-123" })).toEqual(refusedFor("malformed-credentials"));
      expect(await check(config, secrets, { Authorization: "tok_abc.DEF-123" })).toEqual(refusedFor("malformed-credentials"));
      expect(await check(config, secrets, {})).toEqual(refusedFor("missing-credentials"));
      expect(await check(config, {}, { Authorization: "Bearer " })).toEqual(refusedFor("misconfigured"));
    });
  });

  describe("Basic", () => {
    const config: IngestAuthConfig = { authMethod: "Basic", authUsername: "fluent-bit" };
    const secrets = { authPassword: "pa:ss wörd" };

    it("accepts the user and password, a password holding ':' and non-ASCII included", async () => {
      expect(await check(config, secrets, { Authorization: basic("fluent-bit", "pa:ss wörd") })).toEqual({ status: "ok" });
    });

    it("refuses a wrong user or password, and malformed credentials", async () => {
      expect(await check(config, secrets, { Authorization: basic("fluent-bit", "pa:ss word") })).toEqual(
        refusedFor("invalid-credentials"),
      );
      expect(await check(config, secrets, { Authorization: basic("vector", "pa:ss wörd") })).toEqual(
        refusedFor("invalid-credentials"),
      );
      for (const malformed of ["Basic not-base64!", `Basic ${btoa("no-colon")}`, `Basic ${btoa("\xff\xfe:x")}`, "Basic", "Digest abc"]) {
        expect(await check(config, secrets, { Authorization: malformed })).toEqual(refusedFor("malformed-credentials"));
      }
      expect(await check(config, secrets, {})).toEqual(refusedFor("missing-credentials"));
      expect(await check({ authMethod: "Basic" }, secrets, { Authorization: basic("", "pa:ss wörd") })).toEqual(
        refusedFor("misconfigured"),
      );
    });
  });
});
