import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { schemas } from "../db/schema";
import { Classifier, compiledFor } from "../classify/classifier";


/**
 * A classifier for a source's log types, with today's schemas. Each schema revision is compiled
 * once per isolate (compiledFor caches by name and revision); this costs one indexed read.
 */
export async function loadClassifier(env: Env, logTypes: string[]): Promise<Classifier> {
  const rows = await drizzle(env.DB)
    .select({ name: schemas.name, revision: schemas.revision, spec: schemas.spec })
    .from(schemas)
    .where(inArray(schemas.name, logTypes));
  // Keep the source's order of log types: the first is tried first until one wins.
  const byName = new Map(rows.map((r) => [r.name, r]));
  const compiled = logTypes.flatMap((t) => {
    const row = byName.get(t);
    return row ? [compiledFor(row.name, row.revision, row.spec)] : [];
  });
  return new Classifier(compiled);
}
