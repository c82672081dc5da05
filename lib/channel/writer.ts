/**
 * The per-worker, per-channel writer: a Transform whose writable side takes the formatted
 * pieces of a batch of records and whose readable side emits them coalesced into one large
 * chunk, piped into the child's fd. One write per batch instead of one per record is what
 * makes the pipe fast (a syscall and a stream round-trip per record cost ~25× more).
 * @module
 */
import { Transform } from '../streams.js';
import type { ChannelBatch } from './batch.js';

/** The formatted bytes of consecutive records for one channel, in record order. */
export type Pieces = Array<string | Uint8Array>;

/** Turns a batch's pieces into one string or one Buffer. */
export function coalesce(pieces: Pieces): string | Buffer {
  let allText = true;
  for (let i = 0; i < pieces.length; i++) {
    if (typeof pieces[i] !== 'string') {
      allText = false;
      break;
    }
  }
  if (allText) return (pieces as string[]).join('');
  return Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
}

/** Options of a ChannelWriter. */
export interface ChannelWriterOptions {
  /** Channel name, for errors and introspection. */
  channel: string;
  /** Bytes the readable side holds before it stops taking batches. */
  highWaterMark: number;
}

/** The part of the pipe's stream a writer needs to see: how much it still holds. */
interface DeliveryTarget {
  readonly writableLength: number;
  readonly destroyed: boolean;
  on(event: 'drain' | 'finish', listener: () => void): unknown;
}

/**
 * Transform: batch of formatted pieces → one coalesced chunk of bytes.
 * It remembers where each chunk's records end, so the worker can tell how many records had
 * not reached the pipe when a child closed the channel (bytes in the kernel count as delivered).
 */
export class ChannelWriter extends Transform {
  readonly channel: string;
  /** Bytes pushed to the readable side so far. */
  bytesEmitted = 0;
  /** [bytesEmitted, records] after each chunk not yet known to be delivered. */
  #chunkEnds: Array<[number, number]> = [];
  #target: DeliveryTarget | null = null;
  /** Last delivery count measured while the target was alive (a destroyed stream forgets its buffer). */
  #delivered = { bytes: 0, records: 0 };

  constructor(options: ChannelWriterOptions) {
    super({
      writableObjectMode: true,
      writableHighWaterMark: 2,
      readableHighWaterMark: options.highWaterMark,
    });
    this.channel = options.channel;
  }

  /** Tells the writer which stream its output is piped into, to account for delivery. */
  deliverTo(target: DeliveryTarget): void {
    this.#target = target;
    // Measure while the target still knows its buffer: it forgets it once destroyed.
    target.on('drain', () => this.#measureDelivery());
    target.on('finish', () => this.#measureDelivery());
  }

  /** Bytes that have left this process: written into the pipe. */
  get bytesDelivered(): number {
    return this.#measureDelivery().bytes;
  }

  /** Records whose bytes for this channel have all been written into the pipe. */
  get recordsDelivered(): number {
    return this.#measureDelivery().records;
  }

  override _transform(batch: ChannelBatch, _encoding: BufferEncoding, callback: () => void): void {
    const chunk = coalesce(batch.pieces);
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.bytesEmitted += size;
    this.#chunkEnds.push([this.bytesEmitted, batch.records]);
    if (size > 0) this.push(chunk);
    this.#measureDelivery();
    callback();
  }

  /** Recounts what reached the pipe and forgets chunks that are wholly delivered. */
  #measureDelivery(): { bytes: number; records: number } {
    if (this.#target?.destroyed) return this.#delivered;
    const bytes = this.bytesEmitted - this.readableLength - (this.#target?.writableLength ?? 0);
    let records = this.#delivered.records;
    let settled = 0;
    while (settled < this.#chunkEnds.length && this.#chunkEnds[settled][0] <= bytes) {
      records += this.#chunkEnds[settled][1];
      settled++;
    }
    if (settled > 0) this.#chunkEnds.splice(0, settled);
    this.#delivered = { bytes, records };
    return this.#delivered;
  }
}
