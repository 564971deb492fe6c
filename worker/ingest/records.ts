import type { RawRecord } from "./record-builder";

/** What is kept of a record longer than the line limit. */
export interface TooLongRecord {
  /** Its first 64 KiB as text (a character cut at the end is left out). */
  head: string;
  /** Its full length in bytes. */
  length: number;
  /** Hex SHA-256 of all of its bytes. */
  sha256: string;
}

/** One record of a batch, ready to classify. */
export interface DecodedRecord {
  /** Position in the batch, 0-based over non-blank records: with the batch key, the row id. */
  index: number;
  /** The record's text; for a too-long record, its head. Invalid UTF-8 shows as U+FFFD. */
  text: string;
  /** The record's length in bytes (decompressed). */
  bytes: number;
  /** The bytes are not valid UTF-8: store the record as a classification failure. */
  invalidUtf8?: true;
  /** The record is over the line limit: store it as a failure with its head, length and hash. */
  tooLong?: TooLongRecord;
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

export async function toDecodedRecord(raw: RawRecord, index: number): Promise<DecodedRecord> {
  if (raw.kind === "bytes") {
    try {
      return { index, text: strict.decode(raw.bytes), bytes: raw.bytes.length };
    } catch {
      return { index, text: lenient.decode(raw.bytes), bytes: raw.bytes.length, invalidUtf8: true };
    }
  }
  // A fresh streaming decoder leaves out a character cut by the 64 KiB boundary.
  const head = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(raw.head, { stream: true });
  const record: DecodedRecord = {
    index,
    text: head,
    bytes: raw.length,
    tooLong: { head, length: raw.length, sha256: await raw.sha256 },
  };
  if (raw.invalidUtf8) record.invalidUtf8 = true;
  return record;
}

/** Size of a record in a chunk: what the caller will hold and write for it. */
export const storedBytes = (r: DecodedRecord) => (r.tooLong ? r.text.length : r.bytes);
