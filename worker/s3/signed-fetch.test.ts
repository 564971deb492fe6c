import { afterEach, describe, expect, it } from "vitest";
import { resetAwsIO, setAwsIO } from "./io";
import { signedFetch } from "./signed-fetch";
import { AwsError } from "./aws-error";

const creds = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret" };
const url = new URL("http://127.0.0.1:9/bucket/key");

function answering(...answers: (number | Error)[]) {
  const seen: Request[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    seen.push(new Request(input, init));
    const next = answers.shift() ?? 200;
    if (next instanceof Error) throw next;
    return new Response(null, { status: next });
  };
  return { seen, fetch: fetchFn };
}

afterEach(() => resetAwsIO());

describe("signedFetch", () => {
  it("signs with the explicit service and region and does not follow redirects", async () => {
    const io = answering(301);
    setAwsIO({ fetch: io.fetch, retries: 2 });
    const res = await signedFetch(creds, { service: "s3", region: "eu-west-1" }, url);
    expect(res.status).toBe(301);
    expect(io.seen).toHaveLength(1);
    expect(io.seen[0].headers.get("authorization")).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, /);
    expect(io.seen[0].headers.get("x-amz-content-sha256")).toBe("UNSIGNED-PAYLOAD");
    expect(io.seen[0].redirect).toBe("manual");
  });

  it("retries 5xx, 429 and network failures up to the retry budget, never 4xx", async () => {
    const flaky = answering(503, 429, 200);
    setAwsIO({ fetch: flaky.fetch, retries: 2 });
    expect((await signedFetch(creds, { service: "s3", region: "us-east-1" }, url)).status).toBe(200);
    expect(flaky.seen).toHaveLength(3);

    const denied = answering(403);
    setAwsIO({ fetch: denied.fetch, retries: 2 });
    expect((await signedFetch(creds, { service: "s3", region: "us-east-1" }, url)).status).toBe(403);
    expect(denied.seen).toHaveLength(1);

    const down = answering(500, 500, 500);
    setAwsIO({ fetch: down.fetch, retries: 2 });
    expect((await signedFetch(creds, { service: "s3", region: "us-east-1" }, url)).status).toBe(500);
    expect(down.seen).toHaveLength(3);

    const unreachable = answering(new TypeError("connection refused"));
    setAwsIO({ fetch: unreachable.fetch, retries: 0 });
    const err = await signedFetch(creds, { service: "s3", region: "us-east-1" }, url).catch((e) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err).toMatchObject({ code: "NetworkError", status: 0, transient: true });
    expect(err.message).toMatch(/http:\/\/127\.0\.0\.1:9 did not answer: connection refused/);
  });
});
