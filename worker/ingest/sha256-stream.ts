import { toHex } from "../auth/tokens";

/**
 * Incremental SHA-256 over workerd's `crypto.DigestStream` (crypto.subtle.digest needs the whole
 * input at once). `update` queues the bytes without waiting; the bytes must not be modified
 * afterwards, which holds for stream chunks, which are never reused.
 */
export class Sha256Stream {
  private readonly stream = new crypto.DigestStream("SHA-256");
  private readonly writer = this.stream.getWriter();
  private failure: unknown;

  update(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.writer.write(bytes).catch((err: unknown) => {
      this.failure ??= err;
    });
  }

  /** The hex digest of everything passed to `update`; call once. */
  async hex(): Promise<string> {
    await this.writer.close();
    if (this.failure !== undefined) throw this.failure;
    return toHex(await this.stream.digest);
  }
}
