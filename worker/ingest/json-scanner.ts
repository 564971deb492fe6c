import { isWs, type RawRecord, type RecordBuilder, type Trim } from "./record-builder";

export const LF = 0x0a;
export const LBRACE = 0x7b;
export const LBRACKET = 0x5b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const RBRACE = 0x7d;
const RBRACKET = 0x5d;

// Where the scanner is: between records, or inside an object/array, a string, a bare scalar of
// a top-level array, or a line that cannot start a JSON value (kept whole as a record).
const BETWEEN = 0;
const CONTAINER = 1;
const STRING = 2;
const SCALAR = 3;
const LINE = 4;
type State = typeof BETWEEN | typeof CONTAINER | typeof STRING | typeof SCALAR | typeof LINE;

/** The next byte at or after `i` that matters inside a JSON string: a quote, backslash or newline. */
function skipStringBody(buf: Uint8Array, i: number): number {
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b === QUOTE || b === BACKSLASH || b === LF) break;
  }
  return i;
}

/**
 * Splits a stream of JSON values into records by depth, without parsing them, respecting strings
 * and escapes across chunk boundaries; with `unwrapArrays`, the elements of top-level arrays are
 * the records. Malformed input still comes out as records. A value is also cut short where valid
 * JSON is impossible and a new one plainly starts, so one broken NDJSON line does not swallow
 * the next ones:
 *  - a raw newline inside a string (JSON strings cannot hold one) ends the record there;
 *  - inside a container, `{` or `[` on a later line right after a complete value (valid JSON
 *    needs a `,` or `:` first) ends the record before it and starts a new one.
 */
export class JsonScanner {
  /** Lines with nothing but whitespace outside any record. */
  blankLines = 0;
  private state: State = BETWEEN;
  private inArray = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private afterValue = false;
  private newlineSince = false;
  private lineHasContent = false;
  private lineHasBytes = false;

  constructor(
    private readonly builder: RecordBuilder,
    private readonly out: RawRecord[],
    private readonly unwrapArrays: boolean,
  ) {}

  end(): void {
    if (this.state !== BETWEEN) {
      this.out.push(this.builder.finish("ws"));
      this.state = BETWEEN;
    } else if (this.lineHasBytes && !this.lineHasContent) {
      this.blankLines++;
    }
  }

  /** Scans `buf` from `from`. One loop and one switch on purpose: this runs for every byte. */
  push(buf: Uint8Array, from: number): void {
    // Start of the current record's bytes within `buf`; -1 between records.
    let start = this.state === BETWEEN ? -1 : from;
    for (let i = from; i < buf.length; i++) {
      // Fast paths over the bulk of the input: string contents, and the rest of a garbage line.
      if (this.inString && !this.escaped) {
        i = skipStringBody(buf, i);
      } else if (this.state === LINE) {
        const nl = buf.indexOf(LF, i);
        i = nl < 0 ? buf.length : nl;
      }
      if (i >= buf.length) break;
      const b = buf[i];
      switch (this.state) {
        case BETWEEN:
          if (!this.separator(b)) {
            start = i;
            this.begin(b);
          }
          break;
        case CONTAINER:
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (b === BACKSLASH) this.escaped = true;
            else if (b === QUOTE) this.valueEnded();
            else if (b === LF) start = this.cutAtNewline(buf, start, i);
          } else if (b === LBRACE || b === LBRACKET) {
            if (this.afterValue && this.newlineSince) {
              this.emit(buf, start, i, "ws");
              start = i;
              this.begin(b);
            } else {
              this.depth++;
              this.afterValue = false;
            }
          } else if (b === RBRACE || b === RBRACKET) {
            if (--this.depth === 0) {
              this.emit(buf, start, i + 1, "none");
              start = -1;
            } else {
              this.valueEnded();
            }
          } else if (b === QUOTE) {
            this.inString = true;
          } else if (b === LF) {
            this.newlineSince = true;
          } else if (b === COMMA || b === COLON) {
            this.afterValue = false;
          } else if (!isWs(b)) {
            this.valueEnded();
          }
          break;
        case STRING:
          if (this.escaped) this.escaped = false;
          else if (b === BACKSLASH) this.escaped = true;
          else if (b === QUOTE) {
            this.emit(buf, start, i + 1, "none");
            start = -1;
          } else if (b === LF) start = this.cutAtNewline(buf, start, i);
          break;
        case SCALAR:
          if (isWs(b) || b === COMMA || b === RBRACKET) {
            this.emit(buf, start, i, "none");
            start = -1;
            this.separator(b);
          }
          break;
        case LINE:
          if (b === LF) start = this.cutAtNewline(buf, start, i);
          break;
      }
    }
    if (start >= 0 && start < buf.length) this.builder.append(buf.subarray(start));
  }

  /**
   * A byte between records: whitespace (counting blank lines), or the brackets and commas of a
   * top-level array when unwrapping arrays. Returns false for the first byte of a record.
   */
  private separator(b: number): boolean {
    if (b === LF) {
      if (!this.lineHasContent) this.blankLines++;
      this.lineHasContent = false;
      this.lineHasBytes = false;
      return true;
    }
    if (isWs(b)) {
      this.lineHasBytes = true;
      return true;
    }
    this.lineHasContent = true;
    if (!this.unwrapArrays) return false;
    if (this.inArray) {
      if (b === COMMA) return true;
      if (b === RBRACKET) this.inArray = false;
      return b === RBRACKET;
    }
    if (b === LBRACKET) this.inArray = true;
    return b === LBRACKET;
  }

  private begin(b: number): void {
    if (b === LBRACE || b === LBRACKET) {
      this.state = CONTAINER;
      this.depth = 1;
      this.inString = false;
      this.escaped = false;
      this.afterValue = false;
      this.newlineSince = false;
    } else if (b === QUOTE) {
      this.state = STRING;
      this.inString = true;
      this.escaped = false;
    } else {
      this.state = this.inArray ? SCALAR : LINE;
    }
  }

  private valueEnded(): void {
    this.inString = false;
    this.afterValue = true;
    this.newlineSince = false;
  }

  /** Ends the record before the newline at `i` and handles the newline as a separator. */
  private cutAtNewline(buf: Uint8Array, start: number, i: number): number {
    this.emit(buf, start, i, "ws");
    this.separator(LF);
    return -1;
  }

  private emit(buf: Uint8Array, start: number, end: number, trim: Trim): void {
    if (end > start) this.builder.append(buf.subarray(start, end));
    this.out.push(this.builder.finish(trim));
    this.state = BETWEEN;
    this.inString = false;
  }
}
