// A local S3-compatible server (s3rver) for tests and demos, in a child process.
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

export const LOCAL_S3_KEY = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

const bin = createRequire(import.meta.url).resolve("s3rver/bin/s3rver.js");

async function waitUntilUp(url, child, timeoutMs) {
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

/**
 * Starts s3rver on 127.0.0.1:`port`, keeping its data in `directory` (a temporary one, removed
 * on stop, when none is given). Resolves once it answers: { endpoint, stop() }.
 */
export async function startLocalS3({ port = 4568, directory, timeoutMs = 15_000 } = {}) {
  const temporary = !directory;
  const dir = directory ?? (await mkdtemp(join(tmpdir(), "pipewatch-s3rver-")));
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", bin, "--directory", dir, "--address", "127.0.0.1", "--port", String(port), "--silent", "--no-vhost-buckets"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    if (temporary) await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(`${endpoint}/`, child, timeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
}
