import { validator } from "hono/validator";
import type { z } from "zod";
import { ApiError, ErrorCode, type ErrorDetail } from "../errors";

/** `logTypes[0].name` style paths, as the error body's `details` name fields. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(body)";
}

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) =>
    // One detail per unknown key, at the key's own path, so a form can point at it.
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: issuePath([...issue.path, key]), message: "unknown field" }))
      : [{ path: issuePath(issue.path), message: issue.message }],
  );
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Validates a JSON request body against a zod schema. A body that is not JSON is a 415, JSON that
 * does not parse a 400 MALFORMED_JSON, and a body that parses but does not fit a 400
 * VALIDATION_FAILED whose details name every bad field.
 */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return validator("json", (value, c): z.output<S> => {
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim();
    if (!JSON_TYPE.test(type)) {
      throw new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body must be JSON (Content-Type: application/json)");
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The request body is not valid", zodDetails(parsed.error));
    }
    return parsed.data;
  });
}

/** Validates query parameters; repeated parameters arrive as arrays. */
export function queryParams<S extends z.ZodType>(schema: S) {
  return validator("query", (value): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The query parameters are not valid", zodDetails(parsed.error));
    }
    return parsed.data;
  });
}
