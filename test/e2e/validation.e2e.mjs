import { SIMPLE_SPEC, api, expect, nav, signIn, test } from "./harness.mjs";

test("validation: API errors appear beside their fields and lines", async ({ page, dashboardUrl, apiUrl, adminToken, shot }) => {
  // A schema and a source to collide with, made directly through the API.
  await api(apiUrl, adminToken, "PUT", "/api/schemas/Custom.Checkout", { spec: SIMPLE_SPEC, description: "Checkout service" });
  await api(apiUrl, adminToken, "POST", "/api/log-sources/http", {
    integrationLabel: "Checkout",
    logTypes: ["Custom.Checkout"],
    logStreamType: "Lines",
    authMethod: "None",
  });
  await signIn(page, dashboardUrl, adminToken);

  // A duplicate label is refused at the end of the wizard: it goes back to step 1 and says why.
  await nav(page, "Log Sources");
  await page.getByRole("link", { name: "New source" }).click();
  await page.getByRole("link", { name: /^HTTP/ }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByText("Give the source a label").waitFor();
  await page.getByText("Pick at least one log type").waitFor();
  await shot("wizard checks");
  await page.getByLabel("Label").fill("Checkout");
  await page.getByRole("checkbox", { name: "Custom.Checkout" }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("radio", { name: /^None/ }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("radio", { name: "No" }).check();
  await page.getByRole("button", { name: "Create source" }).click();
  await page.locator("#integrationLabel-error").getByText("already in use").waitFor();
  expect((await page.getByLabel("Label").getAttribute("aria-invalid")) === "true", "the label field is marked invalid");
  await shot("duplicate label");

  // A schema with an unknown key: the error names its path and its line is marked.
  await nav(page, "Schemas");
  await page.getByRole("link", { name: "Custom.Checkout" }).click();
  await page.getByLabel("Schema (YAML)").fill(`version: 0\ncolour: blue\n${SIMPLE_SPEC.split("\n").slice(1).join("\n")}`);
  await page.getByRole("button", { name: "Save" }).click();
  const problems = page.getByRole("alert").filter({ hasText: "in the schema" });
  await problems.waitFor();
  const text = await problems.innerText();
  expect(text.includes("Line 2") && text.includes("colour"), `the problem names line 2 and the key: ${text}`);
  await shot("schema error");
});
