import { describe, expect, it } from "vitest";
import { bucketUrl, objectUrl, serviceUrl } from "./client";
import { awsErrorOf } from "./aws-error";
import { stsEndpoint } from "./sts";

describe("S3 addressing", () => {
  it("is virtual-hosted on AWS, path-style for dotted buckets and custom endpoints", () => {
    expect(bucketUrl({ bucket: "logs", region: "eu-west-1", endpoint: null }).href).toBe("https://logs.s3.eu-west-1.amazonaws.com/");
    expect(bucketUrl({ bucket: "my.logs", region: "eu-west-1", endpoint: null }).href).toBe("https://s3.eu-west-1.amazonaws.com/my.logs/");
    expect(bucketUrl({ bucket: "logs", region: "cn-north-1", endpoint: null }).href).toBe("https://logs.s3.cn-north-1.amazonaws.com.cn/");
    expect(bucketUrl({ bucket: "logs", region: "auto", endpoint: "https://acct.r2.cloudflarestorage.com/" }).href).toBe("https://acct.r2.cloudflarestorage.com/logs/");
    expect(serviceUrl({ bucket: "logs", region: "us-east-1", endpoint: "http://127.0.0.1:4568" }).href).toBe("http://127.0.0.1:4568/");
  });

  it("encodes keys per segment, so spaces, plus signs and unicode survive signing", () => {
    const loc = { bucket: "logs", region: "us-east-1", endpoint: "http://127.0.0.1:4568" };
    expect(objectUrl(loc, "a b/c+d/(1)!é.json").pathname).toBe("/logs/a%20b/c%2Bd/%281%29%21%C3%A9.json");
    expect(objectUrl(loc, "AWSLogs/123/x.json.gz").pathname).toBe("/logs/AWSLogs/123/x.json.gz");
  });

  it("uses the regional STS endpoint, or the global one for a region that is not AWS's", () => {
    expect(stsEndpoint("eu-central-1")).toEqual({ url: new URL("https://sts.eu-central-1.amazonaws.com/"), region: "eu-central-1" });
    expect(stsEndpoint("auto")).toEqual({ url: new URL("https://sts.amazonaws.com/"), region: "us-east-1" });
  });
});

describe("awsErrorOf", () => {
  it("reads the XML body when there is one", async () => {
    const err = await awsErrorOf(new Response("<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId></Error>", { status: 403 }));
    expect(err).toMatchObject({ code: "AccessDenied", awsMessage: "Access Denied", status: 403, requestId: "R1", transient: false });
    expect(err.raw).toBe("AccessDenied: Access Denied (HTTP 403, request R1)");
  });

  it("maps bodiless HEAD answers by status, with the region S3 names in a header", async () => {
    const moved = await awsErrorOf(new Response(null, { status: 301, headers: { "x-amz-bucket-region": "eu-west-1", "x-amz-request-id": "R2" } }));
    expect(moved).toMatchObject({ code: "PermanentRedirect", region: "eu-west-1", requestId: "R2" });
    expect((await awsErrorOf(new Response(null, { status: 403 }))).code).toBe("AccessDenied");
    expect((await awsErrorOf(new Response(null, { status: 404 }))).code).toBe("NotFound");
    const gateway = await awsErrorOf(new Response("<html>Bad Gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    expect(gateway).toMatchObject({ code: "HTTP502", transient: true });
  });
});
