// Starts s3rver, a real S3-compatible server, on the loopback port vitest.config.ts chose, with
// its data in a temporary directory, for the whole run. The Worker reaches it over HTTP through
// the test outbound rule. s3rver knows one access key, S3RVER (secret S3RVER): it refuses any
// other key id (InvalidAccessKeyId), but it does not verify SigV4 signatures, so a wrong secret
// for that key is not refused.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";

export default async function setup() {
  const port = Number(process.env.PIPEWATCH_TEST_S3_PORT);
  if (!port) throw new Error("PIPEWATCH_TEST_S3_PORT is not set (vitest.config.ts sets it)");
  const directory = await mkdtemp(join(tmpdir(), "pipewatch-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port, directory, silent: true, vhostBuckets: false });
  await server.run();
  return async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  };
}
