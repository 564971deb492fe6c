import type { InferRequestType, InferResponseType } from "hono/client";
import { client } from "./client";

const s3 = client.api["log-sources"].s3;

/** An S3 source as the API shows it: the secret access key masked. */
export type S3Source = InferResponseType<(typeof s3)[":id"]["$get"], 200>;
export type S3SourceInput = InferRequestType<typeof s3.$post>["json"];
export type S3SourceUpdate = InferRequestType<(typeof s3)[":id"]["$put"]>["json"];
export type S3PrefixRoute = S3SourceInput["s3PrefixLogTypes"][number];

export async function getS3Source(id: string): Promise<S3Source> {
  const res = await s3[":id"].$get({ param: { id } });
  return res.json();
}

export async function createS3Source(input: S3SourceInput): Promise<S3Source> {
  const res = await s3.$post({ json: input });
  return res.json();
}

export async function updateS3Source(id: string, update: S3SourceUpdate): Promise<S3Source> {
  const res = await s3[":id"].$put({ param: { id }, json: update });
  return res.json();
}

export async function deleteS3Source(id: string): Promise<void> {
  await s3[":id"].$delete({ param: { id } });
}

export function isS3Source(source: { integrationType: string }): source is S3Source {
  return source.integrationType === "s3" && "s3Bucket" in source;
}
