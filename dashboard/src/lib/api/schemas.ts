import { request } from "./client";

// The Worker does not serve /api/schemas yet: these follow API.md until it does.

export interface SchemaSummary {
  name: string;
  description: string;
  referenceURL: string;
  revision: number;
  updatedAt: string;
}

export interface Schema extends SchemaSummary {
  /** The schema as YAML text. */
  spec: string;
}

export interface SchemaInput {
  spec: string;
  description?: string;
  referenceURL?: string;
}

interface Page<T> {
  results: T[];
  next: string | null;
}

/** Log type names: PascalCase parts joined by dots (AWS.CloudTrail, Custom.MyApp). */
export const SCHEMA_NAME = /^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)+$/;

export async function listSchemas(): Promise<SchemaSummary[]> {
  const all: SchemaSummary[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page: Page<SchemaSummary> = await request("GET", `/api/schemas?limit=100${query}`);
    all.push(...page.results);
    cursor = page.next;
  } while (cursor);
  return all;
}

export function getSchema(name: string): Promise<Schema> {
  return request("GET", `/api/schemas/${encodeURIComponent(name)}`);
}

export function saveSchema(name: string, input: SchemaInput): Promise<Schema> {
  return request("PUT", `/api/schemas/${encodeURIComponent(name)}`, input);
}
