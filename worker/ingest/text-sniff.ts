import { ApiError, ErrorCode } from "../errors";

/** How much of the decompressed body is looked at to tell text from binary. */
export const SNIFF_BYTES = 1024;

// Share of replacement or control characters past which the start of a body is not text. Text in
// a legacy encoding (Latin-1 accents) stays far below it; binary formats are far above.
const MAX_BAD_SHARE = 0.25;
const MIN_BAD = 8;

const HINT = "send UTF-8 text (Fluent Bit's http output sends MessagePack unless `format` is json_lines or json)";

/**
 * Refuses a body that is not UTF-8 text as a whole (415), from its first bytes: a UTF-16 or
 * UTF-32 byte order mark, NUL bytes, or mostly invalid or control characters. A body that is
 * text with a few bad bytes passes; its bad records are flagged one by one instead.
 */
export function assertLooksLikeText(head: Uint8Array): void {
  const reason = notTextReason(head.subarray(0, SNIFF_BYTES));
  if (reason) throw new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `the body is not UTF-8 text: ${reason}; ${HINT}`);
}

function notTextReason(head: Uint8Array): string | null {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    return "it starts with a UTF-16 byte order mark";
  }
  if (head.includes(0)) return `it contains NUL bytes in its first ${head.length} bytes (binary data, UTF-16 or UTF-32)`;
  // stream: true leaves out a character cut at the end of the window instead of flagging it.
  const text = new TextDecoder("utf-8").decode(head, { stream: true });
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) || c === 0x7f) {
      bad++;
    }
  }
  if (bad >= MIN_BAD && bad > text.length * MAX_BAD_SHARE) {
    return `${bad} of its first ${text.length} characters are invalid UTF-8 or control characters (binary data?)`;
  }
  return null;
}

/** The UTF-8 byte order mark, which is an encoding signature and not part of the first record. */
export function utf8BomLength(head: Uint8Array): number {
  return head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
}
