import type { HttpSource } from "./api/log-sources";

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
/** A double-quoted shell word of literal text then a variable: "X-Key: $SECRET", quoted safely. */
const withVar = (literal: string, variable: string) =>
  /^[\w .:@/+=-]*$/.test(literal) ? `"${literal}$${variable}"` : `${q(literal)}"$${variable}"`;

/**
 * A curl command that sends one event to a source, with its auth method. Secrets are write-only,
 * so they appear as shell variables ($SECRET, $TOKEN, $PASSWORD) for the reader to set.
 */
export function curlExample(source: Pick<HttpSource, "ingestUrl" | "authMethod" | "authHeaderKey" | "authHmacAlg" | "authUsername">): string {
  const lines = [`URL=${q(source.ingestUrl)}`, `BODY='{"message":"hello from curl"}'`];
  const headers = [`-H 'Content-Type: application/json'`];
  const header = source.authHeaderKey ?? "X-Secret";
  switch (source.authMethod) {
    case "SharedSecret":
      headers.push(`-H ${withVar(`${header}: `, "SECRET")}`);
      break;
    case "HMAC": {
      const alg = source.authHmacAlg ?? "sha256";
      lines.push(`SIGNATURE=$(printf '%s' "$BODY" | openssl dgst -${alg} -hmac "$SECRET" -r | cut -d' ' -f1)`);
      headers.push(`-H ${withVar(`${header}: `, "SIGNATURE")}`);
      break;
    }
    case "Bearer":
      headers.push(`-H "Authorization: Bearer $TOKEN"`);
      break;
    case "Basic":
      headers.push(`-u ${source.authUsername ? withVar(`${source.authUsername}:`, "PASSWORD") : `"$USERNAME:$PASSWORD"`}`);
      break;
    case "None":
      break;
    default: {
      const never: never = source.authMethod;
      throw new Error(`unknown auth method ${String(never)}`);
    }
  }
  const curl = [`curl -sS -X POST "$URL"`, ...headers, `--data-binary "$BODY"`];
  return [...lines, curl.join(" \\\n  ")].join("\n");
}

/** The shell variables the example expects, with what each one is. */
export function curlVariables(method: HttpSource["authMethod"]): { name: string; meaning: string }[] {
  switch (method) {
    case "SharedSecret":
      return [{ name: "SECRET", meaning: "the shared secret you set on this source" }];
    case "HMAC":
      return [{ name: "SECRET", meaning: "the HMAC key you set on this source" }];
    case "Bearer":
      return [{ name: "TOKEN", meaning: "the bearer token you set on this source" }];
    case "Basic":
      return [{ name: "PASSWORD", meaning: "the password you set on this source" }];
    case "None":
      return [];
  }
}
