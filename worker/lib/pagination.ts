import { z } from "zod";
import { ApiError, ErrorCode } from "../errors";

/** `?limit=` (default 25, max 100) and `?cursor=`, shared by every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
};

export interface Page<T> {
  results: T[];
  next: string | null;
}

/**
 * Keyset cursors: the sort key and id of the last row of a page, opaque to clients. Stable under
 * inserts, unlike offsets.
 */
export interface CursorKey {
  k: string;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return btoa(JSON.stringify([key.k, key.id])).replace(/=+$/, "");
}

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    const [k, id] = JSON.parse(atob(cursor)) as unknown[];
    if (typeof k === "string" && typeof id === "string") return { k, id };
  } catch {
    // fall through to the error below
  }
  throw new ApiError(ErrorCode.VALIDATION_FAILED, "The cursor is not valid", [
    { path: "cursor", message: "not a cursor returned by this list" },
  ]);
}

/** Fetch limit + 1 rows; this trims the extra one and builds the next cursor from the last row. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => CursorKey, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return {
    results: page.map(map),
    next: more ? encodeCursor(key(page[page.length - 1])) : null,
  };
}
