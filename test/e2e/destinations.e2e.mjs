import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import { api, createHttpSource, eventually, expect, ingest, nav, signIn, test } from "./harness.mjs";

/** A webhook receiver on 127.0.0.1 that records every request; it answers 200, and 410 under /gone. */
async function startReceiver() {
  const requests = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      requests.push({ path: req.url, headers: req.headers, body });
      if (req.url?.startsWith("/gone")) res.writeHead(410, { "content-type": "text/plain" }).end("this hook was removed");
      else res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { url: `${base}/hooks/pipewatch`, goneUrl: `${base}/gone`, requests, close: () => new Promise((ok) => server.close(ok)) };
}

test("destinations: a signed custom webhook for System Errors, a test alert, a System Error delivered and re-sent", async ({ page, dashboardUrl, apiUrl, adminToken, shot }) => {
  const receiver = await startReceiver();
  try {
    await signIn(page, dashboardUrl, adminToken);
    await nav(page, "Destinations");
    await page.getByRole("link", { name: "New destination" }).first().click();
    await page.getByLabel("Name", { exact: true }).fill("SOC receiver");
    await page.getByLabel("Type", { exact: true }).selectOption("customwebhook");
    await page.getByLabel("Webhook URL").fill(receiver.url);
    await page.getByRole("button", { name: "Generate" }).click();
    const secret = await page.getByLabel("Signing secret (optional)").inputValue();
    expect(/^whsec_[A-Za-z0-9+/]+=*$/.test(secret), `a Standard Webhooks secret is generated: ${secret}`);
    // System Errors only.
    for (const label of ["Rule Matches", "Rule Errors", "Scheduled Rule Matches", "Scheduled Rule Errors", "Policy Failures"]) {
      await page.getByRole("checkbox", { name: label, exact: true }).uncheck();
    }
    expect(await page.getByRole("checkbox", { name: "System Errors" }).isChecked(), "System Errors stays ticked");
    await page.getByRole("switch", { name: /Send resolved/ }).check();
    await shot("new destination");
    await page.getByRole("button", { name: "Create destination" }).click();
    await page.waitForURL(/#\/destinations\/[0-9a-f-]{36}$/);
    expect((await page.getByLabel("Signing secret (optional)").inputValue()) === "********", "the stored secret comes back masked");

    // A test alert: delivered, with its record, and signed as Standard Webhooks says.
    await page.getByRole("button", { name: "Send test alert" }).click();
    const record = page.getByTestId("test-delivery");
    await record.getByText("Delivered").waitFor();
    expect((await record.innerText()).includes("200"), "the record shows the receiver's status code");
    await shot("test alert delivered");
    expect(receiver.requests.length === 1, `the receiver got one request, got ${receiver.requests.length}`);
    const [first] = receiver.requests;
    for (const h of ["webhook-id", "webhook-timestamp", "webhook-signature"]) expect(first.headers[h], `the request carries ${h}`);
    new Webhook(secret).verify(first.body, first.headers); // throws when the signature is wrong
    expect(first.path === "/hooks/pipewatch", `posted to the configured path: ${first.path}`);

    await nav(page, "Destinations");
    const row = page.getByRole("row", { name: /SOC receiver/ });
    expect((await row.innerText()).includes("System Errors"), "the list shows what the destination receives");
    await shot("destinations list");

    // A second destination whose endpoint is gone (410): its deliveries fail at once, for good.
    const broken = await api(apiUrl, adminToken, "POST", "/api/alert-destinations", {
      displayName: "Retired hook",
      outputType: "customwebhook",
      outputConfig: { webhookURL: receiver.goneUrl },
      alertTypes: ["SYSTEM_ERROR"],
      defaultForSeverity: ["CRITICAL"],
      sendResolved: false,
    });

    // A System Error is delivered to both; its page shows each delivery, its attempts and Re-send.
    await api(apiUrl, adminToken, "PUT", "/api/schemas/Custom.Payments", { spec: "version: 0\nfields:\n  - name: amount\n    type: float\n    required: true\n" });
    const source = await createHttpSource(apiUrl, adminToken, { label: "Payments", logTypes: ["Custom.Payments"] });
    await ingest(apiUrl, source.integrationId, ['{"amount":"twelve"}']);
    const sent = (path) => receiver.requests.filter((r) => r.path === path && JSON.parse(r.body).id === "SOURCE_CLASSIFICATION_FAILURES").length;
    await eventually(() => sent("/hooks/pipewatch") === 1 && sent("/gone") === 1, { what: "the System Error's deliveries" });
    await nav(page, "System Errors");
    await page.getByRole("row", { name: /Logs from Payments cannot be classified/ }).getByRole("link").click();
    const deliveries = page.getByRole("region", { name: "Delivery Status" });
    const delivery = deliveries.getByRole("row", { name: /SOC receiver/ });
    await delivery.getByText("Delivered").waitFor();
    const failed = deliveries.getByRole("row", { name: /Retired hook/ });
    await failed.getByText("Failed").waitFor();
    expect((await failed.innerText()).includes("410"), `the failed delivery shows the receiver's answer: ${await failed.innerText()}`);
    await delivery.getByRole("button", { name: /1 attempt/ }).click();
    await deliveries.getByText("OK", { exact: true }).waitFor();
    await shot("alert delivery status");
    const before = receiver.requests.length;
    await delivery.getByRole("button", { name: "Re-send" }).click();
    await eventually(() => receiver.requests.length > before, { what: "the re-send" });
    await eventually(async () => (await deliveries.getByRole("row", { name: /SOC receiver/ }).count()) === 2, { what: "the re-send's record" });
    await shot("re-sent");

    // The failed delivery is listed as non-delivered, and can be sent again from there.
    await nav(page, "Destinations");
    await page.getByRole("link", { name: "Non-Delivered Alerts" }).click();
    const undelivered = page.getByRole("row", { name: /Retired hook/ });
    await undelivered.waitFor();
    expect((await undelivered.innerText()).includes("Logs from Payments cannot be classified"), "the row names the alert");
    expect((await page.getByRole("row", { name: /SOC receiver/ }).count()) === 0, "delivered alerts are not listed");
    await shot("non-delivered");
    await undelivered.getByRole("button", { name: "Re-send" }).click();
    await eventually(() => sent("/gone") === 2, { what: "the re-send to the retired hook" });
    await api(apiUrl, adminToken, "DELETE", `/api/alert-destinations/${broken.outputId}`);
    await page.getByRole("navigation", { name: "Destination sections" }).getByRole("link", { name: "Destinations" }).click();
    await page.getByRole("row", { name: /SOC receiver/ }).getByRole("link").click();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete destination" }).click();
    await page.waitForURL(/#\/destinations$/);
    await page.getByText("No destinations yet").waitFor();
  } finally {
    await receiver.close();
  }
});
