/**
 * The per-worker, per-channel writer: a Transform whose writable side takes the formatted
 * pieces of a batch of records and whose readable side emits them coalesced into one large
 * chunk, piped into the child's fd. One write per batch instead of one per record is what
 * makes the pipe fast (a syscall and a stream round-trip per record cost ~25× more).
 * @module
 */
import { Transform } from '../streams.js';

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
  #recordsEmitted = 0;
  /** [bytesEmitted, recordsEmitted] after each chunk not yet known to be delivered. */
  #chunkEnds: Array<[number, number]> = [];
  #target: DeliveryTarget | null = null;

  constructor(options: ChannelWriterOptions) {
    super({
      writableObjectMode: true,
      writableHighWaterMark: 1,
      readableHighWaterMark: options.highWaterMark,
    });
    this.channel = options.channel;
  }

  /** Tells the writer which stream its output is piped into, to account for delivery. */
  deliverTo(target: DeliveryTarget): void {
    this.#target = target;
  }

  /** Bytes that have left this process: written into the pipe. */
  get bytesDelivered(): number {
    return this.bytesEmitted - this.readableLength - (this.#target?.writableLength ?? 0);
  }

  /** Records whose bytes for this channel have all been written into the pipe. */
  get recordsDelivered(): number {
    const delivered = this.bytesDelivered;
    let records = this.#recordsEmitted - this.#chunkEnds.reduce((sum, [, count]) => sum + count, 0);
    for (const [end, count] of this.#chunkEnds) {
      if (end > delivered) break;
      records += count;
    }
    return records;
  }

  override _transform(batch: { pieces: Pieces; records: number }, _encoding: BufferEncoding, callback: () => void): void {
    const chunk = coalesce(batch.pieces);
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.bytesEmitted += size;
    this.#recordsEmitted += batch.records;
    this.#chunkEnds.push([this.bytesEmitted, batch.records]);
    this.#forgetDelivered();
    if (size > 0) this.push(chunk);
    callback();
  }

  /** Drops bookkeeping for chunks that are already in the pipe; keeps the list short. */
  #forgetDelivered(): void {
    const delivered = this.bytesDelivered;
    let settled = 0;
    while (settled < this.#chunkEnds.length - 1 && this.#chunkEnds[settled][0] <= delivered) settled++;
    if (settled > 0) this.#chunkEnds.splice(0, settled);
  }
}
