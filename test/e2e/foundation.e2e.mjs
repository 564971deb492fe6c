import { expect, nav, signIn, test } from "./harness.mjs";

const SCHEMA = "Custom.WebApp";
const SPEC = `version: 0
fields:
  - name: time
    type: timestamp
    timeFormats:
      - rfc3339
    isEventTime: true
    required: true
  - name: message
    type: string
    required: true
`;

test("foundation: sign in, create a schema and an HTTP source, see its ingest URL", async ({ page, dashboardUrl, adminToken, shot }) => {
  // Sign in: a wrong token is refused with a clear message, the admin token gets in.
  await page.goto(dashboardUrl);
  await page.getByLabel("API token").waitFor();
  await shot("sign-in");
  await page.getByLabel("API token").fill("pw_not_a_real_token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("This token was refused").waitFor();
  await shot("sign-in refused");
  await signIn(page, dashboardUrl, adminToken);
  await shot("signed in");

  // A schema, so the wizard has a log type to pick.
  await nav(page, "Schemas");
  await page.getByRole("link", { name: "New schema" }).first().click();
  await page.getByLabel("Name").fill(SCHEMA);
  await page.getByLabel("Description").fill("Our web application's JSON logs");
  await page.getByLabel("Schema (YAML)").fill(SPEC);
  await shot("new schema");
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL(`**/#/schemas/${SCHEMA}`);
  await page.getByText(/^Revision 1, updated/).waitFor();
  await shot("schema saved");

  // The wizard: details, auth (shared secret, generated), drop-off left at its default.
  await nav(page, "Log Sources");
  await page.getByRole("link", { name: "New source" }).click();
  await page.getByRole("link", { name: /^HTTP/ }).click();
  await page.getByLabel("Label").fill("Web servers");
  await page.getByRole("checkbox", { name: SCHEMA }).check();
  await shot("wizard details");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("radio", { name: /Shared secret/ }).waitFor();
  expect(await page.getByRole("radio", { name: /Shared secret/ }).isChecked(), "shared secret is the default method");
  await page.getByRole("button", { name: "Generate" }).click();
  await shot("wizard auth");
  await page.getByRole("button", { name: "Next" }).click();
  const yes = page.getByRole("radio", { name: "Yes" });
  await yes.waitFor();
  expect(await yes.isChecked(), "the drop-off alarm defaults to Yes");
  expect((await page.getByLabel("Number").inputValue()) === "1", "the threshold defaults to 1");
  expect((await page.getByLabel("Period").inputValue()) === "Days", "the period defaults to Days");
  await shot("wizard drop-off");
  await page.getByRole("button", { name: "Create source" }).click();
  await page.waitForURL(/#\/sources\/[0-9a-f-]{36}\/settings$/);
  await page.getByTestId("ingest-url").waitFor();
  await shot("source created");

  // The list shows it; its page shows the ingest URL and a curl example.
  await nav(page, "Log Sources");
  const row = page.getByRole("row", { name: /Web servers/ });
  await row.waitFor();
  const rowText = await row.innerText();
  expect(rowText.includes(SCHEMA) && rowText.includes("Enabled") && rowText.includes("Healthy"), `the row shows type, status and health: ${rowText}`);
  await shot("sources list");
  await row.getByRole("link", { name: "Web servers" }).click();
  await page.getByRole("heading", { name: "Events processed" }).waitFor();
  const id = /#\/sources\/(.+)$/.exec(page.url())?.[1];
  await page.getByRole("navigation", { name: "Source sections" }).getByRole("link", { name: "Settings" }).click();
  const url = await page.getByTestId("ingest-url").innerText();
  expect(url.endsWith(`/http/${id}`), `ingest URL ${url} ends with /http/${id}`);
  const curl = await page.locator("pre").innerText();
  expect(curl.includes(`URL='${url}'`) && curl.includes('curl -sS -X POST "$URL"'), `curl example posts to the ingest URL: ${curl}`);
  expect(curl.includes('X-Pipewatch-Secret: $SECRET'), `curl example sends the secret header as a placeholder: ${curl}`);
  expect((await page.getByText("Alert after 1 day without events").count()) === 1, "the default drop-off alarm is shown");
  await shot("source page");
});
