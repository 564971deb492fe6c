import { gzipSync } from "node:zlib";
import { AwsClient } from "aws4fetch";
import { LOCAL_S3_KEY, startLocalS3 } from "../../scripts/s3-local.mjs";
import { freePort } from "../../scripts/stack.mjs";
import { api, eventually, expect, nav, signIn, test } from "./harness.mjs";

const LOG_TYPE = "Custom.S3Login";
const SPEC = `version: 0
fields:
  - name: message
    type: string
    required: true
  - name: user
    type: string
`;
const BUCKET = "e2e-logs";

/** Makes the bucket and uploads one object of good lines and one corrupt gzip object. */
async function uploadObjects(endpoint) {
  const s3 = new AwsClient({ ...LOCAL_S3_KEY, service: "s3", region: "us-east-1", retries: 0 });
  await s3.fetch(`${endpoint}/${BUCKET}`, { method: "PUT" }).then((r) => r.arrayBuffer());
  const lines = ["alice", "bob", "carol"].map((user, i) => JSON.stringify({ message: `login ${i}`, user })).join("\n");
  const objects = [
    ["app/2025/good.json", lines],
    ["app/2025/corrupt.json.gz", gzipSync(lines).fill(0x41, 12, 40)],
  ];
  for (const [key, body] of objects) {
    const res = await s3.fetch(`${endpoint}/${BUCKET}/${key}`, { method: "PUT", body });
    if (!res.ok) throw new Error(`PUT ${key}: ${res.status} ${await res.text()}`);
  }
}

test(
  "s3: create an S3 source in the wizard, see its object reads and health checks",
  async ({ page, dashboardUrl, apiUrl, adminToken, shot }) => {
    const local = await startLocalS3({ port: await freePort() });
    try {
      await uploadObjects(local.endpoint);
      await api(apiUrl, adminToken, "PUT", `/api/schemas/${LOG_TYPE}`, { spec: SPEC });
      await signIn(page, dashboardUrl, adminToken);

      // The wizard asks for the kind of source first.
      await nav(page, "Log Sources");
      await page.getByRole("link", { name: "New source" }).click();
      await shot("source kind");
      await page.getByRole("link", { name: /^S3 bucket/ }).click();

      // Step 1 with a bucket name the API refuses, so its error comes back beside the field.
      await page.getByLabel("Label").fill("Local bucket");
      await page.getByLabel("Bucket", { exact: true }).fill("Bad_Bucket");
      await page.getByLabel("Endpoint (optional)").fill(local.endpoint);
      await page.getByLabel("Stream type").selectOption("Lines");
      await page.getByRole("button", { name: "Next" }).click();

      // Step 2: the prefixes table; the wizard refuses a row without a log type.
      await page.getByLabel("Prefix 1", { exact: true }).fill("app/");
      await page.getByRole("button", { name: "Add prefix" }).click();
      await page.getByLabel("Prefix 2", { exact: true }).fill("other/");
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByText("Pick at least one log type").first().waitFor();
      await page.getByRole("button", { name: "Remove prefix 2" }).click();
      await page.getByTestId("prefix-row-0").getByRole("checkbox", { name: LOG_TYPE }).check();
      await page.getByLabel("Excluded prefixes of prefix 1").fill("app/skip/");
      await shot("prefixes");
      await page.getByRole("button", { name: "Next" }).click();

      // Step 3: an access key (the role fields appear for Role).
      await page.getByRole("radio", { name: /^Role/ }).check();
      await page.getByLabel("Role ARN", { exact: true }).waitFor();
      await page.getByRole("radio", { name: /^Access key/ }).check();
      await page.getByLabel("Access key id", { exact: true }).fill(LOCAL_S3_KEY.accessKeyId);
      await page.getByLabel("Secret access key", { exact: true }).fill(LOCAL_S3_KEY.secretAccessKey);
      await page.getByRole("button", { name: "Next" }).click();

      // Step 4: no drop-off alarm; creating answers the API's error on the bucket, on step 1.
      await page.getByRole("radio", { name: "No" }).check();
      await page.getByRole("button", { name: "Create source" }).click();
      const bucketError = page.locator("#s3Bucket-error");
      await bucketError.waitFor();
      expect((await bucketError.innerText()).includes("valid S3 bucket name"), `the bucket's error is shown beside it: ${await bucketError.innerText()}`);
      await shot("api error beside the bucket");
      await page.getByLabel("Bucket", { exact: true }).fill(BUCKET);
      for (let i = 0; i < 3; i += 1) await page.getByRole("button", { name: "Next" }).click();
      await page.getByRole("button", { name: "Create source" }).click();

      // The settings of an S3 source: bucket, endpoint, prefixes, credentials kind; no ingest URL.
      await page.waitForURL(/#\/sources\/[^/]+\/settings$/);
      const sourceId = /#\/sources\/([^/]+)\/settings$/.exec(page.url())[1];
      const settings = page.getByRole("region", { name: "S3 settings" });
      await settings.getByText(local.endpoint).waitFor();
      expect((await settings.innerText()).includes(`Access key ${LOCAL_S3_KEY.accessKeyId}`), "the credentials kind is shown");
      expect((await page.getByRole("region", { name: "Prefixes" }).innerText()).includes("app/skip/"), "the excluded prefix is shown");
      expect((await page.getByText("curl").count()) === 0, "no ingest instructions for an S3 source");
      await shot("settings");

      // A poll now, then the JOBS queue reads both objects.
      const tick = await fetch(`${apiUrl}/__scheduled?cron=*+*+*+*+*`);
      expect(tick.ok, `the scheduled handler answered ${tick.status}`);
      await eventually(
        async () => (await api(apiUrl, adminToken, "GET", `/api/monitor/data_audit?sourceId=${sourceId}`)).results.length >= 2,
        { timeoutMs: 60_000, what: "two object reads in data_audit" },
      );

      await page.getByRole("link", { name: "Data Audit" }).click();
      const rows = page.getByTestId("audit-row");
      await rows.nth(1).waitFor();
      const success = page.locator('[data-testid="audit-row"][data-status="SUCCESS"]');
      const failure = page.locator('[data-testid="audit-row"][data-status="FAILURE"]');
      expect((await success.count()) === 1 && (await failure.count()) === 1, "one successful and one failed read");
      expect((await success.innerText()).includes("app/2025/good.json"), "the good object was read");
      const failed = await failure.innerText();
      expect(failed.includes("app/2025/corrupt.json.gz") && failed.length > "app/2025/corrupt.json.gz".length + 40, `the failure says why: ${failed}`);
      await shot("data audit");
      await page.getByLabel("Status").selectOption("FAILURE");
      await eventually(async () => (await rows.count()) === 1 && (await failure.count()) === 1, { timeoutMs: 10_000, what: "only the failed read listed" });
      await shot("data audit failures");

      // The S3 checks, run now.
      await page.getByRole("link", { name: /^Health/ }).click();
      await page.getByRole("button", { name: "Re-check" }).click();
      for (const name of ["credentials", "bucket", "objectAccess:app/"]) await page.getByTestId(`check-${name}`).waitFor();
      await page.getByRole("button", { name: "Re-check" }).waitFor();
      expect((await page.getByTestId("check-objectAccess:app/").innerText()).includes("app/"), "the prefix check names its prefix");
      const footer = await page.getByRole("region", { name: "Health checks" }).innerText();
      expect(!footer.includes("Last event received: none yet"), `the read events count as received: ${footer}`);
      await shot("health");

      // A key the server does not know: the credentials check fails with the raw error.
      const bad = await api(apiUrl, adminToken, "POST", "/api/log-sources/s3", {
        integrationLabel: "Unknown key",
        s3Bucket: BUCKET,
        region: "us-east-1",
        endpoint: local.endpoint,
        logStreamType: "Lines",
        s3PrefixLogTypes: [{ prefix: "app/", logTypes: [LOG_TYPE], excludedPrefixes: [] }],
        accessKeyId: "NOTAKEY",
        secretAccessKey: "not-a-secret",
        dropOffAlarm: null,
      });
      await page.goto(`${dashboardUrl}/#/sources/${bad.integrationId}/health`);
      await page.getByRole("button", { name: "Re-check" }).click();
      const credentials = page.getByTestId("check-credentials");
      await eventually(async () => (await credentials.innerText()).includes("InvalidAccessKeyId"), { timeoutMs: 15_000, what: "the raw InvalidAccessKeyId error" });
      await page.getByTestId("check-objectAccess:app/").getByText("Not checked").waitFor();
      await page.getByRole("button", { name: "Re-check" }).waitFor();
      await shot("health with a failing check");
    } finally {
      await local.stop();
    }
  },
  { timeoutMs: 180_000 },
);
