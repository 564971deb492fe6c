import { SIMPLE_SPEC, api, expect, nav, signIn, test } from "./harness.mjs";

test("source lifecycle: pause, resume and delete an HTTP source", async ({ page, dashboardUrl, apiUrl, adminToken, shot }) => {
  await api(apiUrl, adminToken, "PUT", "/api/schemas/Custom.Firewall", { spec: SIMPLE_SPEC });
  const source = await api(apiUrl, adminToken, "POST", "/api/log-sources/http", {
    integrationLabel: "Edge firewall",
    logTypes: ["Custom.Firewall"],
    logStreamType: "JsonArray",
    authMethod: "HMAC",
    authHeaderKey: "X-Signature",
    authSecretValue: "a-long-enough-secret",
    authHmacAlg: "sha512",
  });
  await signIn(page, dashboardUrl, adminToken);
  await page.goto(`${dashboardUrl}/#/sources/${source.integrationId}/settings`);
  await page.getByRole("heading", { name: "Edge firewall" }).waitFor();
  const curl = await page.locator("pre").innerText();
  expect(curl.includes("openssl dgst -sha512 -hmac \"$SECRET\"") && curl.includes('X-Signature: $SIGNATURE'), `the HMAC example signs the body: ${curl}`);

  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Resume" }).waitFor();
  await page.getByText("Paused", { exact: true }).waitFor();
  await shot("paused");
  await nav(page, "Log Sources");
  expect((await page.getByRole("row", { name: /Edge firewall/ }).innerText()).includes("Paused"), "the list shows it paused");
  await page.getByRole("row", { name: /Edge firewall/ }).getByRole("link").click();
  await page.getByRole("heading", { name: "Events processed" }).waitFor();
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("button", { name: "Pause" }).waitFor();

  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByText("Shippers posting to its ingest URL will be refused").waitFor();
  await shot("confirm delete");
  await page.getByRole("dialog").getByRole("button", { name: "Delete source" }).click();
  await page.waitForURL(/#\/sources$/);
  await page.getByRole("row", { name: /Pipewatch Audit Log/ }).waitFor();
  expect((await page.getByRole("row", { name: /Edge firewall/ }).count()) === 0, "the deleted source is gone from the list");
  await shot("deleted");
});
