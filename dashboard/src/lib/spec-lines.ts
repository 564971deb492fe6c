import { LineCounter, parseDocument, isNode } from "yaml";
import type { ErrorDetail } from "./api/client";

/** `fields[0].type` → ["fields", 0, "type"]. */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/**
 * The 1-based line of the spec an error is about: the line its message names ("line 4"), else
 * the line of the YAML node at its path (`fields[1].type`), else none.
 */
export function lineOf(spec: string, detail: ErrorDetail): number | undefined {
  const named = /\bline (\d+)/i.exec(detail.message);
  if (named) return Number(named[1]);
  const path = segments(detail.path.replace(/^spec\.?/, ""));
  if (!path.length) return undefined;
  const counter = new LineCounter();
  const doc = parseDocument(spec, { lineCounter: counter });
  // The deepest node that exists along the path: an unknown key's parent still places the error.
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Whether an error detail is about the spec (not the name, description or reference URL). */
export function isSpecError(detail: ErrorDetail): boolean {
  return !["name", "description", "referenceURL"].includes(detail.path);
}
