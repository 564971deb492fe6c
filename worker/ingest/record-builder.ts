import { Sha256Stream } from "./sha256-stream";

/** A framed record before text decoding: its bytes, or what is kept of a too-long one. */
export type RawRecord =
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "tooLong"; head: Uint8Array; length: number; sha256: Promise<string>; invalidUtf8: boolean };

/** How the end of a finished record is trimmed: not, one trailing CR (lines), or all whitespace. */
export type Trim = "none" | "cr" | "ws";

const CR = 0x0d;

export function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function lastNonWs(bytes: Uint8Array): number {
  let k = bytes.length - 1;
  while (k >= 0 && isWs(bytes[k])) k--;
  return k;
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Trailing whitespace of an overflowing record is held back (so a trim can still drop it) up to
// this much; past it, it is hashed, and a later trim leaves that part in the record.
const MAX_HELD_WHITESPACE = 64 * 1024;

/** A record past the size cap: its head, a running hash and length, never the whole. */
class Overflow {
  private readonly head: Uint8Array;
  private headLen = 0;
  private readonly hash = new Sha256Stream();
  private hashed = 0;
  private held: Uint8Array[] = [];
  private heldLen = 0;
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private invalidUtf8 = false;

  constructor(headBytes: number) {
    this.head = new Uint8Array(headBytes);
  }

  add(bytes: Uint8Array): void {
    if (this.headLen < this.head.length) {
      const take = bytes.subarray(0, this.head.length - this.headLen);
      this.head.set(take, this.headLen);
      this.headLen += take.length;
    }
    this.validate(bytes, true);
    const k = lastNonWs(bytes);
    if (k < 0) {
      this.hold(bytes);
      return;
    }
    this.flushHeld();
    this.feed(bytes.subarray(0, k + 1));
    if (k + 1 < bytes.length) this.hold(bytes.subarray(k + 1));
  }

  finish(trim: Trim): RawRecord {
    if (trim === "cr" && this.heldLen > 0) {
      const last = this.held[this.held.length - 1];
      if (last[last.length - 1] === CR) this.held[this.held.length - 1] = last.subarray(0, last.length - 1);
    }
    if (trim !== "ws") this.flushHeld();
    this.validate(new Uint8Array(0), false);
    return {
      kind: "tooLong",
      head: this.head.subarray(0, this.headLen),
      length: this.hashed,
      sha256: this.hash.hex(),
      invalidUtf8: this.invalidUtf8,
    };
  }

  private validate(bytes: Uint8Array, stream: boolean): void {
    if (this.invalidUtf8) return;
    try {
      this.utf8.decode(bytes, { stream });
    } catch {
      this.invalidUtf8 = true;
    }
  }

  private hold(bytes: Uint8Array): void {
    this.held.push(bytes);
    this.heldLen += bytes.length;
    if (this.heldLen > MAX_HELD_WHITESPACE) this.flushHeld();
  }

  private flushHeld(): void {
    for (const part of this.held) this.feed(part);
    this.held = [];
    this.heldLen = 0;
  }

  private feed(bytes: Uint8Array): void {
    this.hash.update(bytes);
    this.hashed += bytes.length;
  }
}

/**
 * Collects one record's bytes, which may arrive in many pieces. Up to `maxBytes` they are kept;
 * past it only a head, a running SHA-256 and the length are, so one record never holds more
 * than the cap in memory.
 */
export class RecordBuilder {
  private parts: Uint8Array[] = [];
  private size = 0;
  private overflow: Overflow | null = null;

  constructor(
    private readonly maxBytes: number,
    private readonly headBytes: number,
  ) {}

  /** Bytes appended since the last finish or discard. */
  get length(): number {
    return this.size;
  }

  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.overflow) {
      this.overflow.add(bytes);
    } else if (this.size <= this.maxBytes) {
      this.parts.push(bytes);
    } else {
      this.overflow = new Overflow(this.headBytes);
      for (const part of this.parts) this.overflow.add(part);
      this.overflow.add(bytes);
      this.parts = [];
    }
  }

  finish(trim: Trim): RawRecord {
    const { overflow, parts, size } = this;
    this.discard();
    if (overflow) return overflow.finish(trim);
    const bytes = concat(parts, size);
    let end = bytes.length;
    if (trim === "cr" && end > 0 && bytes[end - 1] === CR) end--;
    if (trim === "ws") end = lastNonWs(bytes) + 1;
    return { kind: "bytes", bytes: bytes.subarray(0, end) };
  }

  discard(): void {
    this.parts = [];
    this.size = 0;
    this.overflow = null;
  }
}
