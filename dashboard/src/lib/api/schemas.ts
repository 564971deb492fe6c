import type { InferRequestType, InferResponseType } from "hono/client";
import { client } from "./client";

const schemas = client.api.schemas;

export type SchemaSummary = InferResponseType<typeof schemas.$get, 200>["results"][number];
/** A schema with its spec as YAML text. */
export type Schema = InferResponseType<(typeof schemas)[":name"]["$get"], 200>;
export type SchemaInput = InferRequestType<(typeof schemas)[":name"]["$put"]>["json"];
/** Sample lines classified against a schema: each line's stored event, or why it failed. */
export type SchemaTestResult = InferResponseType<(typeof schemas)[":name"]["test"]["$post"], 200>;
export type SchemaTestLine = SchemaTestResult["results"][number];

/** Log type names: PascalCase parts joined by dots (AWS.CloudTrail, Custom.MyApp). */
export const SCHEMA_NAME = /^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)+$/;

export async function listSchemas(): Promise<SchemaSummary[]> {
  const all: SchemaSummary[] = [];
  let cursor: string | undefined;
  do {
    const res = await schemas.$get({ query: { limit: "100", ...(cursor ? { cursor } : {}) } });
    const page = await res.json();
    all.push(...page.results);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all;
}

export async function getSchema(name: string): Promise<Schema> {
  const res = await schemas[":name"].$get({ param: { name } });
  return res.json();
}

export async function saveSchema(name: string, input: SchemaInput): Promise<Schema> {
  const res = await schemas[":name"].$put({ param: { name }, json: input });
  return res.json();
}

/** Classifies sample lines against a draft spec (or the saved one when `spec` is left out). */
export async function testSchema(name: string, lines: string[], spec?: string): Promise<SchemaTestResult> {
  const res = await schemas[":name"].test.$post({ param: { name }, json: { lines, ...(spec !== undefined ? { spec } : {}) } });
  return res.json();
}
