import { parseAwsError } from "./xml";

/** An AWS call that did not succeed: AWS's own code and message, or what stands for them. */
export class AwsError extends Error {
  constructor(
    /** AWS's error code (AccessDenied, NoSuchKey, ...), or NetworkError / MissingCredentials. */
    readonly code: string,
    readonly awsMessage: string,
    /** HTTP status; 0 when no answer came back. */
    readonly status: number,
    readonly requestId?: string,
    /** The bucket's region, when S3 names it in a redirect. */
    readonly region?: string,
  ) {
    super(`${code}: ${awsMessage}`);
    this.name = "AwsError";
  }

  /** As shown beside a check or in an alert: "AccessDenied: Access Denied (HTTP 403, request 4442587FB7D0A2F9)". */
  get raw(): string {
    const where = [this.status ? `HTTP ${this.status}` : "", this.requestId ? `request ${this.requestId}` : ""].filter(Boolean).join(", ");
    return `${this.code}: ${this.awsMessage}${where ? ` (${where})` : ""}`;
  }

  /** Worth another try by itself: AWS throttled, failed inside, or never answered. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/**
 * What a HEAD answer (no body) or a body that is not AWS XML stands for. S3's HEAD statuses:
 * 403 is a denial (no permission, a KMS key Pipewatch may not use, or a bad signature), 404 a
 * missing key, 301 and 400 a bucket in another region than the request was signed for.
 */
const bodiless: Record<number, [string, string]> = {
  301: ["PermanentRedirect", "The bucket is in another region than the one the request was signed for"],
  400: ["BadRequest", "S3 refused the request; the bucket is likely in another region"],
  403: ["AccessDenied", "Forbidden: access denied, or a KMS key Pipewatch may not use"],
  404: ["NotFound", "No object with this key"],
  412: ["PreconditionFailed", "The object changed since it was listed"],
};

/** The AwsError of an unsuccessful answer, from its XML body when it has one. */
export async function awsErrorOf(res: Response): Promise<AwsError> {
  const body = res.status === 204 ? "" : await res.text().catch(() => "");
  const region = res.headers.get("x-amz-bucket-region") ?? undefined;
  const requestId = res.headers.get("x-amz-request-id") ?? res.headers.get("x-amzn-requestid") ?? undefined;
  const parsed = parseAwsError(body);
  if (parsed) return new AwsError(parsed.code, parsed.message, res.status, parsed.requestId ?? requestId, parsed.region ?? region);
  const [code, message] = bodiless[res.status] ?? [`HTTP${res.status}`, body.trim().slice(0, 200) || res.statusText || "no explanation given"];
  return new AwsError(code, message, res.status, requestId, region);
}
