import { AwsError, awsErrorOf } from "./aws-error";
import { signedFetch, type AwsCredentials } from "./signed-fetch";
import { parseBucketLocation, parseListObjectsV2, unquoteETag, type ListPage } from "./xml";

export interface S3Location {
  bucket: string;
  region: string;
  /** A custom S3-compatible endpoint (R2, MinIO, a local server), addressed path-style; null for AWS. */
  endpoint: string | null;
}

// RFC 3986 encoding for paths and queries: aws4fetch signs %20, so a "+" must never stand for a space.
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The service root: the custom endpoint, or S3's regional endpoint. */
export function serviceUrl(loc: S3Location): URL {
  if (loc.endpoint) return new URL(`${loc.endpoint.replace(/\/+$/, "")}/`);
  const domain = loc.region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return new URL(`https://s3.${loc.region}.${domain}/`);
}

/**
 * The bucket's URL: path-style on custom endpoints (they rarely resolve bucket subdomains) and for
 * AWS buckets with dots (a virtual host with dots fails S3's TLS certificate); virtual-hosted otherwise.
 */
export function bucketUrl(loc: S3Location): URL {
  const root = serviceUrl(loc);
  if (loc.endpoint || loc.bucket.includes(".")) return new URL(`${root.href}${enc(loc.bucket)}/`);
  return new URL(`${root.protocol}//${loc.bucket}.${root.host}/`);
}

export function objectUrl(loc: S3Location, key: string): URL {
  return new URL(`${bucketUrl(loc).href}${key.split("/").map(enc).join("/")}`);
}

function withQuery(url: URL, params: [string, string][]): URL {
  url.search = params.map(([k, v]) => (v === "" ? enc(k) : `${enc(k)}=${enc(v)}`)).join("&");
  return url;
}

/** The calls Pipewatch makes to a bucket, each answering data or throwing an AwsError. */
export class S3Client {
  constructor(
    readonly location: S3Location,
    private readonly credentials: AwsCredentials,
  ) {}

  private send(url: URL, init: RequestInit = {}): Promise<Response> {
    return signedFetch(this.credentials, { service: "s3", region: this.location.region }, url, init);
  }

  private async ok(url: URL, init?: RequestInit): Promise<Response> {
    const res = await this.send(url, init);
    if (!res.ok) throw await awsErrorOf(res);
    return res;
  }

  private async xml<T>(url: URL, read: (xml: string) => T, what: string): Promise<T> {
    const res = await this.ok(url);
    try {
      return read(await res.text());
    } catch (err) {
      throw new AwsError("MalformedAnswer", `${what} answered with a document Pipewatch cannot read: ${(err as Error).message}`, res.status);
    }
  }

  /** ListBuckets: the cheapest signed call, to learn whether the credentials are accepted at all. */
  async listBuckets(): Promise<void> {
    const res = await this.ok(withQuery(serviceUrl(this.location), [["max-buckets", "1"]]));
    await res.body?.cancel();
  }

  /** GetBucketLocation: the bucket's region. */
  bucketRegion(): Promise<string> {
    return this.xml(withQuery(bucketUrl(this.location), [["location", ""]]), parseBucketLocation, "GetBucketLocation");
  }

  /** ListObjectsV2, one page. */
  listObjects(prefix: string, opts: { continuationToken?: string | null; maxKeys?: number } = {}): Promise<ListPage> {
    const params: [string, string][] = [["list-type", "2"], ["max-keys", String(opts.maxKeys ?? 1000)], ["prefix", prefix]];
    if (opts.continuationToken) params.push(["continuation-token", opts.continuationToken]);
    return this.xml(withQuery(bucketUrl(this.location), params), parseListObjectsV2, "ListObjectsV2");
  }

  /** HeadObject: the object is there and readable. HEAD answers have no body, so errors come from the status. */
  async headObject(key: string): Promise<{ etag: string; size: number }> {
    const res = await this.ok(objectUrl(this.location, key), { method: "HEAD" });
    return { etag: unquoteETag(res.headers.get("etag") ?? ""), size: Number(res.headers.get("content-length") ?? -1) };
  }

  /**
   * GetObject, the version with this ETag: If-Match makes S3 answer 412 rather than a newer
   * object written under the same key since the listing (that one is listed, and read, anew).
   */
  getObject(key: string, etag?: string): Promise<Response> {
    return this.ok(objectUrl(this.location, key), etag ? { headers: { "if-match": `"${etag}"` } } : {});
  }
}
