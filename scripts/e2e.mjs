// `npm run test:e2e`: starts the stack as `npm start` does, on free ports with a throwaway state
// directory and admin token (the developer's .dev.vars and local data are never touched), then
// runs the browser tests of test/e2e/*.e2e.mjs in Debian's chromium through playwright-core.
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { ROOT, freePort, randomToken, startStack } from "./stack.mjs";
import { SCREENSHOTS, registered, screenshotter } from "../test/e2e/harness.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TEST_TIMEOUT_MS = 120_000;
const RESULTS = join(ROOT, "test-results");

// Screenshots of this run only, so none is mistaken for a picture of today's dashboard.
rmSync(SCREENSHOTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });
const stateDir = mkdtempSync(join(tmpdir(), "pipewatch-e2e-"));
const envFile = join(stateDir, "e2e.vars");
const adminToken = randomToken();
// The local minimum drop-off threshold (1 minute), so a browser test can watch a source go quiet.
writeFileSync(envFile, `ADMIN_TOKEN=${adminToken}\nDROP_OFF_MIN_MINUTES=1\n`, { mode: 0o600 });

// The stack's output goes to a file; its tail is printed when something fails.
const logPath = join(RESULTS, "e2e-stack.log");
const log = createWriteStream(logPath);
const onLine = (name, line) => log.write(`${name} │ ${line}\n`);

const filter = process.argv[2];
const files = readdirSync(join(ROOT, "test", "e2e"))
  .filter((f) => f.endsWith(".e2e.mjs"))
  .sort();
for (const f of files) await import(pathToFileURL(join(ROOT, "test", "e2e", f)).href);
const tests = registered.filter((t) => !filter || t.name.includes(filter));

let stack;
let browser;
let passed = 0;
let failed = 0;

async function cleanup() {
  await browser?.close().catch(() => {});
  await stack?.stop();
  log.end();
  rmSync(stateDir, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => void cleanup().then(() => process.exit(130)));
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} took longer than ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

try {
  const [port, dashboardPort] = [await freePort(), await freePort()];
  console.log(`Starting the stack (API :${port}, dashboard :${dashboardPort}, state ${stateDir})`);
  stack = await startStack({ port, dashboardPort, persistTo: join(stateDir, "state"), envFile, onLine });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });

  for (const t of tests) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.dashboardUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const consoleErrors = [];
    page.on("pageerror", (err) => consoleErrors.push(String(err)));
    const shot = screenshotter(page, t.name);
    const started = Date.now();
    try {
      await withTimeout(
        t.fn({ page, dashboardUrl: stack.dashboardUrl, apiUrl: stack.apiUrl, adminToken, shot }),
        t.timeoutMs ?? TEST_TIMEOUT_MS,
        t.name,
      );
      if (consoleErrors.length) throw new Error(`uncaught errors in the page:\n  ${consoleErrors.join("\n  ")}`);
      passed += 1;
      console.log(`✓ ${t.name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    } catch (err) {
      failed += 1;
      const path = await shot("failure").catch(() => "(no screenshot)");
      console.log(`✗ ${t.name}\n  ${String(err?.stack ?? err).split("\n").slice(0, 6).join("\n  ")}\n  screenshot: ${path}`);
    } finally {
      await context.close();
    }
  }
} catch (err) {
  failed += Math.max(1, tests.length - passed - failed);
  console.log(`The e2e run could not start: ${err.message}\nSee ${logPath}`);
}

await cleanup();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
