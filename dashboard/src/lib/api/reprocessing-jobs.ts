import type { InferResponseType } from "hono/client";
import { client } from "./client";

const jobs = client.api["reprocessing-jobs"];

export type ReprocessingJob = InferResponseType<(typeof jobs)[":id"]["$get"], 200>;

export async function getReprocessingJob(id: string): Promise<ReprocessingJob> {
  const res = await jobs[":id"].$get({ param: { id } });
  return res.json();
}
