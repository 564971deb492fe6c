// Starts s3rver, a real S3-compatible server, on the loopback port vitest.config.ts chose, with
// its data in a temporary directory, for the whole run. The Worker reaches it over HTTP through
// the test outbound rule.
//
// What s3rver 3.7 checks: it knows one access key, S3RVER (secret S3RVER), and refuses any other
// key id with InvalidAccessKeyId; it does not verify SigV4 signatures, so a wrong secret for that
// key is not refused. Its ListObjectsV2 continuation tokens are DES-encrypted, which OpenSSL 3
// (Node >= 17) only offers from its legacy provider: hence a child process with that flag.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = createRequire(import.meta.url).resolve("s3rver/bin/s3rver.js");

async function waitUntilUp(url, child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`s3rver exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`s3rver did not answer at ${url} within ${timeoutMs} ms`);
}

export default async function setup() {
  const port = process.env.PIPEWATCH_TEST_S3_PORT;
  if (!port) throw new Error("PIPEWATCH_TEST_S3_PORT is not set (vitest.config.ts sets it)");
  const directory = await mkdtemp(join(tmpdir(), "pipewatch-s3rver-"));
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", bin, "--directory", directory, "--address", "127.0.0.1", "--port", port, "--silent", "--no-vhost-buckets"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  await waitUntilUp(`http://127.0.0.1:${port}/`, child);
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
}
