import { JsonScanner, LBRACE, LBRACKET, LF } from "./json-scanner";
import { RecordBuilder, isWs, type RawRecord } from "./record-builder";

/** How a source's body is cut into records (API.md "Log sources", `logStreamType`). */
export type LogStreamType = "Auto" | "JSON" | "JsonArray" | "Lines";
/** The framing actually used; `Auto` resolves to one of these from the body's first byte. */
export type Framing = Exclude<LogStreamType, "Auto">;

export interface FramerOptions {
  logStreamType: LogStreamType;
  /** Longer records are kept as head, length and hash (see RecordBuilder). */
  maxRecordBytes: number;
  headBytes: number;
}

function hasContent(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isWs(bytes[i])) return true;
  return false;
}

/**
 * Cuts a byte stream into records, incrementally: `push` chunks as they come (boundaries may fall
 * anywhere, even inside a UTF-8 character), `end` once, and take finished records from `out`.
 *
 * Every non-whitespace byte of the input lands in exactly one record, except the newlines of
 * `Lines` and the brackets and commas of a `JsonArray`'s top-level array. Malformed input still
 * comes out as records (they fail classification downstream), never dropped. `Lines` keeps each
 * line as it is but for a trailing CR; JSON framings are in JsonScanner.
 */
export class Framer {
  /** Finished records, in order; the caller drains it. */
  readonly out: RawRecord[] = [];
  /** Null until `Auto` has seen the first non-whitespace byte. */
  framing: Framing | null;

  private readonly builder: RecordBuilder;
  private readonly maxRecordBytes: number;
  private json: JsonScanner | null = null;
  private blank = 0;
  private lineHasContent = false;
  // Auto, undecided: the whitespace of the current line, which belongs to it if it is a Lines record.
  private pendingWs: Uint8Array[] = [];
  private pendingWsLen = 0;

  constructor(options: FramerOptions) {
    this.maxRecordBytes = options.maxRecordBytes;
    this.builder = new RecordBuilder(options.maxRecordBytes, options.headBytes);
    this.framing = null;
    if (options.logStreamType !== "Auto") this.setFraming(options.logStreamType);
  }

  /** Lines with nothing but whitespace outside any record. */
  get blankLines(): number {
    return this.blank + (this.json?.blankLines ?? 0);
  }

  push(chunk: Uint8Array): void {
    let from = 0;
    if (this.framing === null) {
      from = this.decide(chunk);
      if (from < 0) return;
    }
    if (this.json) this.json.push(chunk, from);
    else this.pushLines(chunk, from);
  }

  end(): void {
    if (this.json) this.json.end();
    else if (this.framing === "Lines" && this.builder.length > 0) this.endLine();
    else if (this.framing === null && this.pendingWsLen > 0) this.blank++;
  }

  private setFraming(framing: Framing): void {
    this.framing = framing;
    if (framing !== "Lines") this.json = new JsonScanner(this.builder, this.out, framing === "JsonArray");
  }

  /** Auto: `[` → JsonArray, `{` → JSON, anything else → Lines. Returns where framing starts. */
  private decide(chunk: Uint8Array): number {
    let lineStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF) {
        this.blank++;
        this.pendingWs = [];
        this.pendingWsLen = 0;
        lineStart = i + 1;
      } else if (!isWs(b)) {
        this.setFraming(b === LBRACKET ? "JsonArray" : b === LBRACE ? "JSON" : "Lines");
        if (this.framing === "Lines") for (const ws of this.pendingWs) this.builder.append(ws);
        this.pendingWs = [];
        this.pendingWsLen = 0;
        return this.framing === "Lines" ? lineStart : i;
      }
    }
    // Past one record's worth of leading whitespace the line is too long anyway: keep no more.
    if (lineStart < chunk.length && this.pendingWsLen <= this.maxRecordBytes) {
      this.pendingWs.push(chunk.subarray(lineStart));
      this.pendingWsLen += chunk.length - lineStart;
    }
    return -1;
  }

  private pushLines(chunk: Uint8Array, from: number): void {
    let i = from;
    while (i < chunk.length) {
      const nl = chunk.indexOf(LF, i);
      const end = nl < 0 ? chunk.length : nl;
      if (end > i) {
        this.builder.append(chunk.subarray(i, end));
        if (!this.lineHasContent) this.lineHasContent = hasContent(chunk, i, end);
      }
      if (nl < 0) return;
      this.endLine();
      i = nl + 1;
    }
  }

  private endLine(): void {
    if (this.lineHasContent) {
      this.out.push(this.builder.finish("cr"));
    } else {
      this.builder.discard();
      this.blank++;
    }
    this.lineHasContent = false;
  }
}
