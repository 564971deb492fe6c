import { describe, expect, it } from "vitest";
import { parseAssumeRole, parseAwsError, parseBucketLocation, parseListObjectsV2 } from "./xml";

import { ASSUME_ROLE_OK, S3_ERROR, STS_ACCESS_DENIED as STS_ERROR } from "../../test/fixtures/aws-xml";

describe("parseAwsError", () => {
  it("reads S3's Error document", () => {
    expect(parseAwsError(S3_ERROR)).toEqual({ code: "NoSuchKey", message: "The resource you requested does not exist", requestId: "4442587FB7D0A2F9" });
  });

  it("reads the query APIs' ErrorResponse envelope (STS)", () => {
    expect(parseAwsError(STS_ERROR)).toEqual({
      code: "AccessDenied",
      message: expect.stringMatching(/^User: arn:aws:iam::123456789012:user\/pipewatch is not authorized to perform: sts:AssumeRole/),
      requestId: "c6104cbe-af31-11e0-8154-cbc7ccf896c7",
    });
  });

  it("reads the region S3 names in a redirect, and unescapes entities", () => {
    const xml = `<Error><Code>PermanentRedirect</Code><Message>The bucket &amp; its key &lt;must&gt; be addressed elsewhere</Message><Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint><Region>eu-west-1</Region><RequestId>R1</RequestId></Error>`;
    expect(parseAwsError(xml)).toEqual({ code: "PermanentRedirect", message: "The bucket & its key <must> be addressed elsewhere", requestId: "R1", region: "eu-west-1" });
  });

  it("answers null for what is not an AWS error", () => {
    for (const body of ["", "   ", "<html><body>502 Bad Gateway</body></html>", "not xml <<", "<Error><Message>no code</Message></Error>", '{"error":"json"}']) {
      expect(parseAwsError(body), body).toBeNull();
    }
  });
});

describe("parseListObjectsV2", () => {
  it("reads keys verbatim (digits stay strings, spaces kept), unquotes ETags and reads the continuation", () => {
    const page = parseListObjectsV2(`<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Name>bucket</Name>
    <Prefix/>
    <KeyCount>2</KeyCount>
    <MaxKeys>2</MaxKeys>
    <IsTruncated>true</IsTruncated>
    <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
    <Contents>
        <Key>0001</Key>
        <LastModified>2009-10-12T17:50:30.000Z</LastModified>
        <ETag>"fba9dede5f27731c9771645a39863328"</ETag>
        <Size>434234</Size>
        <StorageClass>STANDARD</StorageClass>
    </Contents>
    <Contents>
        <Key>logs/a &amp; b .json</Key>
        <LastModified>2009-10-12T17:50:31.000Z</LastModified>
        <ETag>&quot;d41d8cd98f00b204e9800998ecf8427e-2&quot;</ETag>
        <Size>0</Size>
        <StorageClass>STANDARD</StorageClass>
    </Contents>
</ListBucketResult>`);
    expect(page).toEqual({
      objects: [
        { key: "0001", etag: "fba9dede5f27731c9771645a39863328", size: 434234, lastModified: "2009-10-12T17:50:30.000Z" },
        { key: "logs/a & b .json", etag: "d41d8cd98f00b204e9800998ecf8427e-2", size: 0, lastModified: "2009-10-12T17:50:31.000Z" },
      ],
      nextContinuationToken: "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=",
    });
  });

  it("reads a single object as a list, an empty listing as none, and refuses other documents", () => {
    const one = parseListObjectsV2(`<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>k</Key><ETag>"e"</ETag><Size>1</Size><LastModified>t</LastModified></Contents></ListBucketResult>`);
    expect(one.objects).toHaveLength(1);
    expect(parseListObjectsV2(`<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>`)).toEqual({ objects: [], nextContinuationToken: null });
    expect(() => parseListObjectsV2(S3_ERROR)).toThrow(/not a ListBucketResult/);
  });
});

describe("parseBucketLocation", () => {
  it("maps the empty constraint to us-east-1 and EU to eu-west-1", () => {
    expect(parseBucketLocation(`<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`)).toBe("us-east-1");
    expect(parseBucketLocation(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">EU</LocationConstraint>`)).toBe("eu-west-1");
    expect(parseBucketLocation(`<LocationConstraint>ap-southeast-2</LocationConstraint>`)).toBe("ap-southeast-2");
    expect(() => parseBucketLocation("<Other/>")).toThrow();
  });
});

describe("parseAssumeRole", () => {
  it("reads the temporary credentials and the assumed role", () => {
    expect(parseAssumeRole(ASSUME_ROLE_OK)).toEqual({
      accessKeyId: "ASIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
      sessionToken: expect.stringMatching(/^AQoDYXdzEPT/),
      expiration: "2019-11-09T13:34:41Z",
      assumedRoleArn: "arn:aws:sts::123456789012:assumed-role/demo/TestAR",
    });
  });

  it("refuses an answer without complete credentials", () => {
    expect(() => parseAssumeRole(STS_ERROR)).toThrow(/no complete Credentials/);
    expect(() => parseAssumeRole(ASSUME_ROLE_OK.replace(/<SessionToken>.*<\/SessionToken>/, ""))).toThrow();
  });
});
