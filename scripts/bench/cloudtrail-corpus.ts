// A deterministic CloudTrail-like corpus for the classification benchmark: ~1 KB records with
// nested identities, timestamps, request parameters and resources, from a seeded generator so
// every run measures the same bytes.

/** mulberry32: small, fast, good enough to vary test data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENTS = [
  ["s3.amazonaws.com", "GetObject"],
  ["s3.amazonaws.com", "PutObject"],
  ["ec2.amazonaws.com", "DescribeInstances"],
  ["ec2.amazonaws.com", "RunInstances"],
  ["iam.amazonaws.com", "CreateAccessKey"],
  ["sts.amazonaws.com", "AssumeRole"],
  ["kms.amazonaws.com", "Decrypt"],
  ["lambda.amazonaws.com", "Invoke"],
  ["signin.amazonaws.com", "ConsoleLogin"],
  ["dynamodb.amazonaws.com", "PutItem"],
] as const;
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const AGENTS = [
  "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.amzn.2",
  "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/122.0",
  "aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1 api/s3#1.51.4",
];

export function cloudTrailCorpus(count: number, seed = 42): string[] {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rnd() * 16)]).join("");
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const accounts = Array.from({ length: 8 }, () => digits(12));
  const start = Date.UTC(2024, 2, 1);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const [source, name] = pick(EVENTS);
    const account = pick(accounts);
    const user = `user-${Math.floor(rnd() * 50)}`;
    const assumed = rnd() < 0.6;
    const time = new Date(start + i * 1500 + Math.floor(rnd() * 1000)).toISOString().replace(/\.\d{3}Z$/, "Z");
    const record = {
      eventVersion: "1.09",
      userIdentity: assumed
        ? {
            type: "AssumedRole",
            principalId: `AROA${hex(16).toUpperCase()}:${user}@example.com`,
            arn: `arn:aws:sts::${account}:assumed-role/DeveloperRole/${user}@example.com`,
            accountId: account,
            accessKeyId: `ASIA${hex(16).toUpperCase()}`,
            sessionContext: {
              sessionIssuer: {
                type: "Role",
                principalId: `AROA${hex(16).toUpperCase()}`,
                arn: `arn:aws:iam::${account}:role/DeveloperRole`,
                accountId: account,
                userName: "DeveloperRole",
              },
              attributes: { creationDate: time, mfaAuthenticated: rnd() < 0.5 ? "true" : "false" },
            },
          }
        : { type: "IAMUser", principalId: `AIDA${hex(16).toUpperCase()}`, arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, accessKeyId: `AKIA${hex(16).toUpperCase()}`, userName: user },
      eventTime: time,
      eventSource: source,
      eventName: name,
      awsRegion: pick(REGIONS),
      sourceIPAddress: `${Math.floor(rnd() * 223) + 1}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`,
      userAgent: pick(AGENTS),
      requestParameters: { bucketName: `logs-${account}`, key: `AWSLogs/${hex(16)}.json.gz`, maxResults: Math.floor(rnd() * 1000) },
      responseElements: rnd() < 0.5 ? null : { requestId: uuid(), status: "OK" },
      requestID: uuid(),
      eventID: uuid(),
      readOnly: name.startsWith("Get") || name.startsWith("Describe"),
      resources: [{ ARN: `arn:aws:s3:::logs-${account}`, accountId: account, type: "AWS::S3::Bucket" }],
      eventType: "AwsApiCall",
      managementEvent: rnd() < 0.3,
      recipientAccountId: account,
      eventCategory: "Data",
      tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: `${source.split(".")[0]}.${pick(REGIONS)}.amazonaws.com` },
    };
    lines.push(JSON.stringify(record));
  }
  return lines;
}
