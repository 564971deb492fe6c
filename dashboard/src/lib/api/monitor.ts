import type { InferRequestType, InferResponseType } from "hono/client";
import { client } from "./client";

const dataAudit = client.api.monitor.data_audit;

/** One read of an S3 object (the data_audit monitor table). */
export type DataAuditRow = InferResponseType<typeof dataAudit.$get, 200>["results"][number];
export type DataAuditStatus = DataAuditRow["status"];
export type DataAuditQuery = NonNullable<InferRequestType<typeof dataAudit.$get>["query"]>;

/** A page of object reads, newest first. */
export async function listDataAudit(query: DataAuditQuery): Promise<{ results: DataAuditRow[]; next: string | null }> {
  const res = await dataAudit.$get({ query });
  return res.json();
}
