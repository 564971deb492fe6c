// Starts the local S3 server (s3rver, see scripts/s3-local.mjs) for the whole run, on the
// loopback port vitest.config.ts chose. The Worker reaches it over HTTP through the test
// outbound rule; nothing else leaves the machine.
import { startLocalS3 } from "../scripts/s3-local.mjs";

export default async function setup() {
  const port = Number(process.env.PIPEWATCH_TEST_S3_PORT);
  if (!port) throw new Error("PIPEWATCH_TEST_S3_PORT is not set (vitest.config.ts sets it)");
  const { stop } = await startLocalS3({ port });
  return stop;
}
