/**
 * The stall watchdog of one worker. Each channel drains on its own, but a child that waits
 * on one channel while another is full (it reads all of fd 3 before stdin, say) can never
 * be served: the parent must not feed fd 3 past stdin's backpressure. Rather than hang, the
 * worker fails once nothing has moved for `timeoutMs` while one channel is full and another
 * has nothing left to send.
 * @module
 */
import type { ChannelWriter } from './writer.js';

export class StallWatchdog {
  readonly #writers: readonly ChannelWriter[];
  readonly #timeoutMs: number;
  readonly #onStall: (full: ChannelWriter, empty: ChannelWriter) => void;
  #timer: NodeJS.Timeout | null = null;

  /** `timeoutMs` 0 disables the watchdog. */
  constructor(writers: readonly ChannelWriter[], timeoutMs: number, onStall: (full: ChannelWriter, empty: ChannelWriter) => void) {
    this.#writers = writers;
    this.#timeoutMs = timeoutMs;
    this.#onStall = onStall;
  }

  /** The worker became full: start watching, unless already watching. */
  start(): void {
    if (this.#timeoutMs > 0 && this.#timer === null) this.#arm(this.#delivered());
  }

  /** The worker has room again, or is going away. */
  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(deliveredBefore: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const delivered = this.#delivered();
      const full = this.#writers.find((writer) => writer.writableNeedDrain);
      const empty = this.#writers.find((writer) => writer.isIdle);
      if (delivered === deliveredBefore && full && empty) this.#onStall(full, empty);
      else this.#arm(delivered);
    }, this.#timeoutMs);
  }

  #delivered(): number {
    return this.#writers.reduce((sum, writer) => sum + writer.bytesDelivered, 0);
  }
}
