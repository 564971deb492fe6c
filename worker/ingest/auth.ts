import { safeEqual, toHex } from "../auth/tokens";

/** How shippers authenticate to an HTTP source (API.md "Log sources"). */
export type IngestAuthMethod = "SharedSecret" | "HMAC" | "Bearer" | "Basic" | "None";
export type HmacAlg = "sha256" | "sha512" | "sha1";

/** The non-secret half of a source's auth settings, stored with the source. */
export interface IngestAuthConfig {
  authMethod: IngestAuthMethod;
  /** SharedSecret and HMAC: the header that carries the secret or the signature. */
  authHeaderKey?: string;
  /** HMAC: defaults to sha256. */
  authHmacAlg?: HmacAlg;
  /** Basic: the expected user name. */
  authUsername?: string;
}

/** The secret half, stored apart and never returned by the API. */
export interface IngestAuthSecrets {
  /** SharedSecret: the header's value. HMAC: the key. */
  authSecretValue?: string;
  authBearerToken?: string;
  authPassword?: string;
}

/**
 * Why a request was refused, for the source's `credentials` health check. The messages name
 * headers and methods, never a secret or what was sent.
 */
export type IngestAuthRefusal =
  | "missing-credentials" // the header is absent or empty
  | "malformed-credentials" // present but not in the expected form
  | "invalid-credentials" // well-formed but wrong
  | "misconfigured"; // the source lacks what its method needs: refused, never let through

export type IngestAuthResult =
  | { status: "ok" }
  /** HMAC only: the header looks right; call again with the raw body to verify it. */
  | { status: "needs-body" }
  | { status: "refused"; reason: IngestAuthRefusal; message: string };

const OK: IngestAuthResult = { status: "ok" };
const refused = (reason: IngestAuthRefusal, message: string): IngestAuthResult => ({ status: "refused", reason, message });

/** Whether the raw body must be read into memory before `verifyIngestAuth` can decide (HMAC). */
export function needsRawBody(config: IngestAuthConfig): boolean {
  return config.authMethod === "HMAC";
}

/**
 * Checks a shipper's credentials against the source's auth settings. All comparisons of secrets
 * are constant-time. For HMAC, call it first without the body to refuse a missing or malformed
 * signature before reading anything; it answers `needs-body`, then call it with the raw body as
 * sent (still compressed), since that is what the shipper signed.
 */
export async function verifyIngestAuth(
  config: IngestAuthConfig,
  secrets: IngestAuthSecrets,
  headers: Headers,
  rawBody?: Uint8Array,
): Promise<IngestAuthResult> {
  switch (config.authMethod) {
    case "None":
      return OK;
    case "SharedSecret":
      return verifySharedSecret(config, secrets, headers);
    case "HMAC":
      return verifyHmac(config, secrets, headers, rawBody);
    case "Bearer":
      return verifyBearer(secrets, headers);
    case "Basic":
      return verifyBasic(config, secrets, headers);
    default: {
      const never: never = config.authMethod;
      return refused("misconfigured", `unknown auth method '${String(never)}'`);
    }
  }
}

async function verifySharedSecret(config: IngestAuthConfig, secrets: IngestAuthSecrets, headers: Headers) {
  const header = config.authHeaderKey;
  if (!header || !secrets.authSecretValue) return refused("misconfigured", "the source has no shared-secret header or secret");
  const sent = headers.get(header);
  if (!sent) return refused("missing-credentials", `the header '${header}' is missing`);
  return (await safeEqual(sent, secrets.authSecretValue))
    ? OK
    : refused("invalid-credentials", `the header '${header}' does not match the source's secret`);
}

async function verifyBearer(secrets: IngestAuthSecrets, headers: Headers) {
  if (!secrets.authBearerToken) return refused("misconfigured", "the source has no bearer token");
  const credentials = authorization(headers, "Bearer");
  if (typeof credentials !== "string") return credentials;
  return (await safeEqual(credentials, secrets.authBearerToken))
    ? OK
    : refused("invalid-credentials", "the bearer token does not match the source's token");
}

async function verifyBasic(config: IngestAuthConfig, secrets: IngestAuthSecrets, headers: Headers) {
  if (!config.authUsername || !secrets.authPassword) return refused("misconfigured", "the source has no user name or password");
  const credentials = authorization(headers, "Basic");
  if (typeof credentials !== "string") return credentials;
  const decoded = decodeBasic(credentials);
  if (!decoded) return refused("malformed-credentials", "Authorization is not 'Basic base64(user:password)'");
  // Both comparisons always run, so the time taken does not tell which one failed.
  const [user, password] = await Promise.all([
    safeEqual(decoded.user, config.authUsername),
    safeEqual(decoded.password, secrets.authPassword),
  ]);
  return user && password ? OK : refused("invalid-credentials", "the user name or password does not match the source's");
}

/** The credentials of `Authorization: <scheme> <credentials>`, or why there are none. */
function authorization(headers: Headers, scheme: "Bearer" | "Basic"): string | IngestAuthResult {
  const value = headers.get("Authorization");
  if (!value) return refused("missing-credentials", "the Authorization header is missing");
  const match = /^(\S+)\s+(\S+)$/.exec(value);
  if (!match || match[1].toLowerCase() !== scheme.toLowerCase()) {
    return refused("malformed-credentials", `Authorization is not '${scheme} <credentials>'`);
  }
  return match[2];
}

function decodeBasic(credentials: string): { user: string; password: string } | null {
  let binary: string;
  try {
    binary = atob(credentials);
  } catch {
    return null;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

const HASH: Record<HmacAlg, string> = { sha256: "SHA-256", sha512: "SHA-512", sha1: "SHA-1" };
const HEX_LENGTH: Record<HmacAlg, number> = { sha256: 64, sha512: 128, sha1: 40 };

async function verifyHmac(config: IngestAuthConfig, secrets: IngestAuthSecrets, headers: Headers, rawBody?: Uint8Array) {
  const header = config.authHeaderKey;
  if (!header || !secrets.authSecretValue) return refused("misconfigured", "the source has no signature header or HMAC key");
  const alg = config.authHmacAlg ?? "sha256";
  const sent = headers.get(header);
  if (!sent) return refused("missing-credentials", `the header '${header}' is missing`);
  // "sha256=<hex>" (GitHub style) or bare hex; a prefix naming another algorithm is refused.
  const eq = sent.indexOf("=");
  if (eq >= 0 && sent.slice(0, eq).trim().toLowerCase() !== alg) {
    return refused("malformed-credentials", `the header '${header}' is not a ${alg} signature`);
  }
  const signature = sent.slice(eq + 1).trim().toLowerCase();
  if (signature.length !== HEX_LENGTH[alg] || !/^[0-9a-f]+$/.test(signature)) {
    return refused("malformed-credentials", `the header '${header}' does not hold a hex ${alg} HMAC`);
  }
  if (!rawBody) return { status: "needs-body" } satisfies IngestAuthResult;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secrets.authSecretValue),
    { name: "HMAC", hash: HASH[alg] },
    false,
    ["sign"],
  );
  const expected = toHex(await crypto.subtle.sign("HMAC", key, rawBody));
  return (await safeEqual(signature, expected))
    ? OK
    : refused("invalid-credentials", `the ${alg} HMAC in '${header}' does not match the body`);
}
