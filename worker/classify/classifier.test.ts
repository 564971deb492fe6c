import { describe, expect, it } from "vitest";
import cloudTrailSpec from "../../test/fixtures/schemas/aws-cloudtrail.yml?raw";
import cloudflareSpec from "../../test/fixtures/schemas/cloudflare-http-request.yml?raw";
import nginxSpec from "../../test/fixtures/schemas/custom-nginx.yml?raw";
import oktaSpec from "../../test/fixtures/schemas/okta-systemlog.yml?raw";
import cloudTrailSamples from "../../test/fixtures/schemas/aws-cloudtrail.jsonl?raw";
import cloudflareSamples from "../../test/fixtures/schemas/cloudflare-http-request.jsonl?raw";
import nginxSamples from "../../test/fixtures/schemas/custom-nginx.jsonl?raw";
import oktaSamples from "../../test/fixtures/schemas/okta-systemlog.jsonl?raw";
import { Classifier, compiledFor, type ClassifyResult } from "./classifier";
import { compileSchema } from "./compile";
import { parseSchemaSpec } from "./spec";

function compiled(name: string, text: string) {
  const parsed = parseSchemaSpec(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return compileSchema(name, parsed.spec);
}

const cloudTrail = compiled("AWS.CloudTrail", cloudTrailSpec);
const okta = compiled("Okta.SystemLog", oktaSpec);
const nginx = compiled("Custom.Nginx", nginxSpec);
const cloudflare = compiled("Cloudflare.HttpRequest", cloudflareSpec);

const cloudTrailLine = JSON.stringify({
  eventVersion: "1.09",
  userIdentity: {
    type: "AssumedRole",
    arn: "arn:aws:sts::123456789012:assumed-role/Admin/jane@example.com",
    accountId: "123456789012",
    sessionContext: { attributes: { mfaAuthenticated: "true", creationDate: "2024-03-01T09:00:00Z" } },
  },
  eventTime: "2024-03-01T10:05:00Z",
  eventSource: "ec2.amazonaws.com",
  eventName: "RunInstances",
  awsRegion: "us-east-1",
  sourceIPAddress: "203.0.113.7",
  requestParameters: { instanceType: "t3.micro" },
  responseElements: null,
  eventID: "0b7e4b3c-1f7a-4a53-9a3f-5c1b2d3e4f50",
  eventType: "AwsApiCall",
  resources: [{ ARN: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234", accountId: "123456789012", type: "AWS::EC2::Instance" }],
  recipientAccountId: "123456789012",
  notInTheSchema: "dropped",
});

const oktaLine = JSON.stringify({
  uuid: "9f5c1f0a-0000-11ee-8000-000000000001",
  published: "2024-03-01T10:00:00.123Z",
  eventType: "user.session.start",
  version: "0",
  severity: "INFO",
  actor: { id: "00u1", type: "User", alternateId: "ann@example.com", displayName: "Ann" },
  client: { ipAddress: "198.51.100.9", geographicalContext: { city: "Paris", geolocation: { lat: 48.85, lon: 2.35 } } },
  outcome: { result: "SUCCESS" },
  securityContext: { asNumber: 3215, isProxy: false },
});

const nginxLine = '{"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"192.0.2.10","request_method":"GET","status":"404","body_bytes_sent":"153","request_time":"0.002","http_referer":"https://example.com/a"}';

const cloudflareLine = '{"EdgeStartTimestamp":1700000000123456789,"RayID":"8a1b2c3d4e5f6a7b","ClientIP":"2001:db8::7","ClientRequestHost":"www.example.com","EdgeResponseStatus":200,"ClientASN":13335}';

function value(result: ClassifyResult) {
  if (!result.ok) throw new Error(result.failure.error);
  return result.value;
}

function failure(result: ClassifyResult) {
  if (result.ok) throw new Error(`expected a failure, got ${result.value.logType}`);
  return result.failure;
}

describe("Classifier", () => {
  it("classifies each sample against the schema it was written for", () => {
    const classifier = new Classifier([cloudTrail, okta, nginx, cloudflare]);
    expect(value(classifier.classify(cloudTrailLine)).logType).toBe("AWS.CloudTrail");
    expect(value(classifier.classify(oktaLine)).logType).toBe("Okta.SystemLog");
    expect(value(classifier.classify(nginxLine)).logType).toBe("Custom.Nginx");
    expect(value(classifier.classify(cloudflareLine)).logType).toBe("Cloudflare.HttpRequest");
  });

  it("every sample log of the fixtures classifies as its schema, among all four", () => {
    const classifier = new Classifier([cloudTrail, okta, nginx, cloudflare]);
    const samples: [string, string][] = [
      ["AWS.CloudTrail", cloudTrailSamples],
      ["Okta.SystemLog", oktaSamples],
      ["Custom.Nginx", nginxSamples],
      ["Cloudflare.HttpRequest", cloudflareSamples],
    ];
    for (const [logType, text] of samples) {
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) {
        const ev = value(classifier.classify(line));
        expect(ev.logType).toBe(logType);
        expect(ev.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    }
  });

  it("a CloudTrail record: normalized event, event time and indicators", () => {
    const ev = value(new Classifier([cloudTrail]).classify(cloudTrailLine));
    expect(ev.eventTime).toBe("2024-03-01T10:05:00.000Z");
    expect(ev.event.notInTheSchema).toBeUndefined();
    expect(ev.event).not.toHaveProperty("responseElements");
    expect(ev.event.userIdentity).toMatchObject({ sessionContext: { attributes: { mfaAuthenticated: true, creationDate: "2024-03-01T09:00:00.000Z" } } });
    expect(ev.indicators).toEqual({
      p_any_ip_addresses: ["203.0.113.7"],
      p_any_domain_names: ["ec2.amazonaws.com"],
      p_any_emails: ["jane@example.com"],
      p_any_aws_account_ids: ["123456789012"],
      p_any_aws_instance_ids: ["i-0abc1234"],
      p_any_aws_arns: ["arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234", "arn:aws:sts::123456789012:assumed-role/Admin/jane@example.com"],
    });
  });

  it("an nginx line: strftime time, numeric strings coerced, URL host extracted", () => {
    const ev = value(new Classifier([nginx]).classify(nginxLine));
    expect(ev.event).toMatchObject({ time_local: "2000-10-10T20:55:36.000Z", status: 404, body_bytes_sent: 153, request_time: 0.002 });
    expect(ev.indicators).toEqual({ p_any_ip_addresses: ["192.0.2.10"], p_any_domain_names: ["example.com"] });
  });

  it("a Cloudflare line: nanosecond timestamps", () => {
    expect(value(new Classifier([cloudflare]).classify(cloudflareLine)).eventTime).toBe("2023-11-14T22:13:20.123Z");
  });

  it("tries the last winner first (Panther's penalty queue)", () => {
    const tried: string[] = [];
    const spy = (s: typeof cloudTrail) => ({ ...s, parse: (v: unknown, o?: Parameters<typeof s.parse>[1]) => (tried.push(s.name), s.parse(v, o)) });
    const classifier = new Classifier([spy(okta), spy(nginx), spy(cloudTrail)]);
    value(classifier.classify(cloudTrailLine));
    expect(tried).toEqual(["Okta.SystemLog", "Custom.Nginx", "AWS.CloudTrail"]);
    tried.length = 0;
    value(classifier.classify(cloudTrailLine));
    expect(tried).toEqual(["AWS.CloudTrail"]);
    tried.length = 0;
    value(classifier.classify(nginxLine));
    expect(tried).toEqual(["AWS.CloudTrail", "Okta.SystemLog", "Custom.Nginx"]);
    tried.length = 0;
    value(classifier.classify(nginxLine));
    expect(tried).toEqual(["Custom.Nginx"]);
    tried.length = 0;
    // Okta failed twice, CloudTrail once: CloudTrail comes before Okta behind the winner.
    value(classifier.classify(oktaLine));
    expect(tried).toEqual(["Custom.Nginx", "AWS.CloudTrail", "Okta.SystemLog"]);
  });

  it("a schema that fails after normalizing part of a line does not spoil it for the next", () => {
    // Same field names; the first schema reads `t` as unix seconds, then fails on `n`.
    const a = compiled("Custom.First", "version: 0\nfields:\n  - { name: t, type: timestamp, timeFormat: unix }\n  - { name: n, type: int, required: true }");
    const b = compiled("Custom.Second", "version: 0\nfields:\n  - { name: t, type: float }");
    const ev = value(new Classifier([a, b]).classify('{"t": 1.5}'));
    expect(ev).toMatchObject({ logType: "Custom.Second", event: { t: 1.5 } });
  });

  it("big integers are exact whichever schema reads them", () => {
    const a = compiled("Custom.First", "version: 0\nfields:\n  - { name: id, type: bigint }\n  - { name: must, type: string, required: true }");
    const b = compiled("Custom.Second", "version: 0\nfields:\n  - { name: id, type: bigint }");
    const ev = value(new Classifier([a, b]).classify('{"id": 9007199254740993}'));
    expect(ev.logType).toBe("Custom.Second");
    expect(JSON.stringify(ev.event)).toBe('{"id":9007199254740993}');
  });
});

describe("Classifier failures", () => {
  it("one schema: its own message and path", () => {
    const f = failure(new Classifier([nginx]).classify('{"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"nope","status":200}'));
    expect(f).toEqual({
      error: '$.remote_addr: expected an IP address, got "nope"',
      path: "$.remote_addr",
      tried: [{ schema: "Custom.Nginx", error: '$.remote_addr: expected an IP address, got "nope"' }],
    });
  });

  it("several schemas: the one that got furthest explains, prefixed with its name; each is listed", () => {
    const line = JSON.stringify({ ...JSON.parse(oktaLine), severity: "LOUD" });
    const f = failure(new Classifier([cloudTrail, okta, nginx]).classify(line));
    expect(f.error).toBe('Okta.SystemLog: $.severity: expected one of ["DEBUG", "INFO", "WARN", "ERROR"], got "LOUD"');
    expect(f.path).toBe("$.severity");
    expect(f.tried).toEqual([
      { schema: "AWS.CloudTrail", error: "$.eventVersion: required field is missing" },
      { schema: "Okta.SystemLog", error: '$.severity: expected one of ["DEBUG", "INFO", "WARN", "ERROR"], got "LOUD"' },
      { schema: "Custom.Nginx", error: "$.time_local: required field is missing" },
    ]);
  });

  it("a line that is not JSON", () => {
    const f = failure(new Classifier([cloudTrail, okta]).classify("GET /index.html 200"));
    expect(f.error).toMatch(/^not valid JSON: /);
    expect(f.path).toBeNull();
    expect(f.tried.map((t) => t.schema)).toEqual(["AWS.CloudTrail", "Okta.SystemLog"]);
    expect(f.tried[0].error).toBe(f.error);
  });

  it("JSON that is not an object", () => {
    expect(failure(new Classifier([cloudTrail]).classify("[1, 2]")).error).toBe("expected a JSON object, got an array");
    expect(failure(new Classifier([cloudTrail]).classify('"text"')).error).toBe('expected a JSON object, got "text"');
    expect(failure(new Classifier([cloudTrail]).classify("null")).error).toBe("expected a JSON object, got null");
  });

  it("deeply nested JSON fails cleanly", () => {
    const deep = cloudTrailLine.replace('{"instanceType":"t3.micro"}', `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    const f = failure(new Classifier([cloudTrail]).classify(deep));
    expect(f.error).toMatch(/^\$\.requestParameters(\[0\])+: nested deeper than 100 levels$/);
  });

  it("a big number in a line too deep to re-read exactly fails cleanly", () => {
    const s = compiled("Custom.Deep", "version: 0\nfields:\n  - { name: id, type: bigint }\n  - { name: rest, type: string }");
    const line = `{"id": 9007199254740993, "ignored": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(failure(new Classifier([s]).classify(line)).error).toBe("$.id: a number is too large to read exactly");
  });

  it("no schema attached", () => {
    expect(failure(new Classifier([]).classify("{}"))).toEqual({ error: "no schema is attached to classify with", path: null, tried: [] });
  });
});

describe("compiledFor", () => {
  it("compiles a revision once and recompiles a new revision", () => {
    const text = "version: 0\nfields:\n  - { name: a, type: string }";
    const first = compiledFor("Custom.Cached", 1, text);
    expect(compiledFor("Custom.Cached", 1, "ignored: the revision is already compiled")).toBe(first);
    const second = compiledFor("Custom.Cached", 2, "version: 0\nfields:\n  - { name: a, type: int }");
    expect(second).not.toBe(first);
    expect(second.parseText('{"a": "x"}').ok).toBe(false);
  });

  it("throws on a stored schema that is not valid", () => {
    expect(() => compiledFor("Custom.Broken", 1, "version: 3")).toThrow(/schema Custom.Broken@1 is not valid: version: must be 0; fields: is required/);
    expect(() => compiledFor("Custom.Broken", 2, "fields: [")).toThrow(/schema Custom.Broken@2 is not valid: YAML syntax error at line 1/);
  });
});
