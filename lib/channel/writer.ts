/**
 * The per-worker, per-channel writer: a Transform whose writable side takes one worker's
 * batches of formatted records for one channel and whose readable side hands each batch on
 * as one large chunk, piped into the child's fd. One write per batch instead of one per
 * record is what makes the pipe fast (a syscall and a stream round-trip per record cost
 * about 25× more), and keeping the writer in the pipeline lets `pipeline()` carry
 * backpressure, errors and the end of the channel.
 *
 * It also keeps the books: which records have reached the pipe, so a child that closes the
 * channel early can be told how many records it left behind (bytes in the kernel count as
 * delivered).
 * @module
 */
import { Transform } from '../streams.js';
import type { ChannelBatch } from './batch.js';

/** The part of the pipe's stream a writer needs to see: how much it still holds. */
interface DeliveryTarget {
  /** Bytes the stream has not yet written into the pipe. */
  readonly writableLength: number;
  readonly destroyed: boolean;
  on(event: 'drain' | 'finish', listener: () => void): unknown;
}

/** Where one chunk ends, in bytes emitted, and how many records it holds. */
interface ChunkEnd {
  bytes: number;
  records: number;
}

export class ChannelWriter extends Transform {
  readonly channel: string;
  #bytesEmitted = 0;
  /** Bytes handed to the target so far (its writableLength counts what it has not written). */
  #bytesHandedOn = 0;
  /** Chunks not yet known to be wholly in the pipe, oldest first. */
  #pendingChunks: ChunkEnd[] = [];
  #delivered = { bytes: 0, records: 0 };
  #target: DeliveryTarget | null = null;

  constructor(channel: string) {
    // Both sides in object mode: a chunk is a whole batch handed to the socket as it is.
    // (A byte-mode readable side would merge and split chunks and lose the batch bounds.)
    super({ objectMode: true, writableHighWaterMark: 2, readableHighWaterMark: 1 });
    this.channel = channel;
    this.on('data', (chunk: Buffer) => (this.#bytesHandedOn += chunk.length));
  }

  /** Tells the writer which stream its output is piped into, to account for delivery. */
  deliverTo(target: DeliveryTarget): void {
    this.#target = target;
    // Measure while the target still knows its buffer: it forgets it once destroyed.
    target.on('drain', () => this.#measureDelivery());
    target.on('finish', () => this.#measureDelivery());
  }

  /** Bytes written into the pipe so far. */
  get bytesDelivered(): number {
    return this.#measureDelivery().bytes;
  }

  /** Records whose bytes for this channel have all been written into the pipe. */
  get recordsDelivered(): number {
    return this.#measureDelivery().records;
  }

  /** True when every byte given to this writer is in the pipe. */
  get isIdle(): boolean {
    return this.writableLength === 0 && this.#measureDelivery().bytes === this.#bytesEmitted;
  }

  override _transform(batch: ChannelBatch, _encoding: BufferEncoding, callback: () => void): void {
    const { chunk, records } = batch;
    this.#bytesEmitted += chunk.length;
    this.#pendingChunks.push({ bytes: this.#bytesEmitted, records });
    if (chunk.length > 0) this.push(chunk);
    // A pipe that never fills emits no 'drain': trim the bookkeeping here too.
    if (this.#pendingChunks.length > 32) this.#measureDelivery();
    callback();
  }

  /** Recounts what reached the pipe and forgets chunks that are wholly delivered. */
  #measureDelivery(): { bytes: number; records: number } {
    if (this.#target === null || this.#target.destroyed) return this.#delivered;
    const bytes = this.#bytesHandedOn - this.#target.writableLength;
    let { records } = this.#delivered;
    let settled = 0;
    for (const end of this.#pendingChunks) {
      if (end.bytes > bytes) break;
      records += end.records;
      settled++;
    }
    if (settled > 0) this.#pendingChunks.splice(0, settled);
    this.#delivered = { bytes, records };
    return this.#delivered;
  }
}
