import { XMLParser } from "fast-xml-parser";

/**
 * AWS's XML answers, read with fast-xml-parser (Workers have no DOMParser). Values stay strings
 * (`parseTagValue: false`: an ETag or a key of digits is not a number) and untrimmed (a key may
 * end in a space); lists that may hold one element are always arrays.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (_name, jpath) => jpath === "ListBucketResult.Contents",
});

type XmlNode = Record<string, unknown>;

function parse(xml: string): XmlNode | null {
  if (!xml.trim()) return null;
  try {
    const doc = parser.parse(xml) as unknown;
    return doc && typeof doc === "object" ? (doc as XmlNode) : null;
  } catch {
    return null;
  }
}

const child = (node: unknown, name: string): unknown =>
  node && typeof node === "object" ? (node as XmlNode)[name] : undefined;

/** A leaf's text; an empty element (`<Prefix/>`) is "". */
const text = (node: unknown): string | undefined => (typeof node === "string" ? node.trim() : undefined);
const rawText = (node: unknown): string | undefined => (typeof node === "string" ? node : undefined);

export interface AwsErrorBody {
  code: string;
  message: string;
  requestId?: string;
  /** S3 names the bucket's region in some redirects (PermanentRedirect, AuthorizationHeaderMalformed). */
  region?: string;
}

/**
 * An AWS error body: S3's `<Error><Code/><Message/><RequestId/></Error>` or the query APIs'
 * (STS) `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * Null when the body is not one (HEAD answers have no body; proxies answer HTML).
 */
export function parseAwsError(xml: string): AwsErrorBody | null {
  const doc = parse(xml);
  if (!doc) return null;
  const envelope = child(doc, "ErrorResponse");
  const error = envelope !== undefined ? child(envelope, "Error") : child(doc, "Error");
  const code = text(child(error, "Code"));
  if (!code) return null;
  const requestId = text(child(error, "RequestId")) ?? text(child(envelope, "RequestId"));
  const region = text(child(error, "Region"));
  return {
    code,
    message: text(child(error, "Message")) ?? "",
    ...(requestId ? { requestId } : {}),
    ...(region ? { region } : {}),
  };
}

export interface ListedObject {
  key: string;
  /** Without the quotes S3 puts around it. */
  etag: string;
  size: number;
  lastModified: string;
}

export interface ListPage {
  objects: ListedObject[];
  /** Set when the listing goes on. */
  nextContinuationToken: string | null;
}

export const unquoteETag = (etag: string) => etag.trim().replace(/^(W\/)?"(.*)"$/, "$2");

/** A ListObjectsV2 answer (`ListBucketResult`); throws when the body is not one. */
export function parseListObjectsV2(xml: string): ListPage {
  const result = child(parse(xml), "ListBucketResult");
  if (!result) throw new Error("the listing is not a ListBucketResult document");
  const contents = (child(result, "Contents") as unknown[] | undefined) ?? [];
  const objects = contents.map((c): ListedObject => {
    const key = rawText(child(c, "Key"));
    if (key === undefined) throw new Error("a listed object has no Key");
    const size = Number(text(child(c, "Size")) ?? "-1");
    return {
      key,
      etag: unquoteETag(text(child(c, "ETag")) ?? ""),
      size: Number.isFinite(size) ? size : -1,
      lastModified: text(child(c, "LastModified")) ?? "",
    };
  });
  const truncated = text(child(result, "IsTruncated")) === "true";
  const token = text(child(result, "NextContinuationToken"));
  return { objects, nextContinuationToken: truncated && token ? token : null };
}

/**
 * A GetBucketLocation answer: the region, with AWS's legacy spellings mapped (an empty
 * constraint is us-east-1, "EU" is eu-west-1). Throws when the body is not one.
 */
export function parseBucketLocation(xml: string): string {
  const doc = parse(xml);
  if (!doc || !("LocationConstraint" in doc)) throw new Error("the answer is not a LocationConstraint document");
  const region = text(doc.LocationConstraint) ?? "";
  if (region === "") return "us-east-1";
  if (region === "EU") return "eu-west-1";
  return region;
}

export interface AssumedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
  assumedRoleArn: string | null;
}

/** An STS AssumeRole answer (`AssumeRoleResponse/AssumeRoleResult/Credentials`); throws when incomplete. */
export function parseAssumeRole(xml: string): AssumedCredentials {
  const result = child(child(parse(xml), "AssumeRoleResponse"), "AssumeRoleResult");
  const credentials = child(result, "Credentials");
  const accessKeyId = text(child(credentials, "AccessKeyId"));
  const secretAccessKey = text(child(credentials, "SecretAccessKey"));
  const sessionToken = text(child(credentials, "SessionToken"));
  const expiration = text(child(credentials, "Expiration"));
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration) {
    throw new Error("the AssumeRole answer has no complete Credentials");
  }
  return { accessKeyId, secretAccessKey, sessionToken, expiration, assumedRoleArn: text(child(child(result, "AssumedRoleUser"), "Arn")) ?? null };
}
