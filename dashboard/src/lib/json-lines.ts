import type { JsonNode, PathPart } from "./json-tree";

/** One line of pretty-printed JSON. */
export interface JsonLine {
  indent: number;
  /** The key of an object entry (already quoted), if the line starts one. */
  key?: string;
  /** The value, or the bracket that opens or closes one. */
  text: string;
  kind: "string" | "number" | "literal" | "bracket";
  comma: boolean;
  /** `hit`: part of the value at fault; `parent`: the object that lacks the field at fault. */
  mark: "hit" | "parent" | null;
}

export interface JsonView {
  lines: JsonLine[];
  /** Whether the path's value was found, or only the object it is missing from. */
  found: "exact" | "parent" | "none";
  /** For `parent`: the part of the path that is missing. */
  missing?: PathPart;
}

function childAt(node: JsonNode, part: PathPart): JsonNode | undefined {
  if (node.kind === "object" && typeof part === "string") {
    // The last of duplicate keys is the one a JSON decoder keeps.
    return node.entries.findLast((e) => e.key === part)?.value;
  }
  if (node.kind === "array" && typeof part === "number") return node.items[part];
  return undefined;
}

/** The deepest node along `path` and how far along it is. */
function locate(root: JsonNode, path: readonly PathPart[]): { node: JsonNode; depth: number } {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const next = childAt(node, path[i]);
    if (!next) return { node, depth: i };
    node = next;
  }
  return { node, depth: path.length };
}

/**
 * Pretty-prints a JSON tree (two-space indent), marking the value an error path names; when the
 * field is missing, the object it is missing from is marked instead.
 */
export function jsonLines(root: JsonNode, path: readonly PathPart[] | null): JsonView {
  const lines: JsonLine[] = [];
  let target: JsonNode | null = null;
  let found: JsonView["found"] = "none";
  let missing: PathPart | undefined;
  if (path) {
    const { node, depth } = locate(root, path);
    target = node;
    found = depth === path.length ? "exact" : "parent";
    if (found === "parent") missing = path[depth];
  }
  const markOf = (node: JsonNode, inherited: JsonLine["mark"]): JsonLine["mark"] =>
    node === target ? (found === "exact" ? "hit" : "parent") : inherited;

  function emit(node: JsonNode, indent: number, key: string | undefined, comma: boolean, inherited: JsonLine["mark"]) {
    const mark = markOf(node, inherited);
    // Inside a value at fault every line is marked; inside the parent of a missing field only its brackets.
    const inner = mark === "hit" ? "hit" : null;
    if (node.kind === "object" || node.kind === "array") {
      const [open, close] = node.kind === "object" ? ["{", "}"] : ["[", "]"];
      const children = node.kind === "object" ? node.entries.map((e) => ({ key: JSON.stringify(e.key), value: e.value })) : node.items.map((value) => ({ key: undefined, value }));
      if (!children.length) {
        lines.push({ indent, key, text: open + close, kind: "bracket", comma, mark });
        return;
      }
      lines.push({ indent, key, text: open, kind: "bracket", comma: false, mark });
      children.forEach((c, i) => emit(c.value, indent + 1, c.key, i < children.length - 1, inner));
      lines.push({ indent, text: close, kind: "bracket", comma, mark });
      return;
    }
    lines.push({ indent, key, text: node.raw, kind: node.kind, comma, mark });
  }

  emit(root, 0, undefined, false, null);
  return { lines, found, missing };
}
