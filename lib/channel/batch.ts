/**
 * The records queued for one worker and not yet handed to its channel writers, kept as
 * formatted text (or bytes) per channel. A batch is flushed when it reaches `flushBytes`, and
 * at the latest at the end of the current event-loop turn (setImmediate), so a child that
 * answers record by record is never left waiting for a batch to fill.
 *
 * This is the per-record hot path: one formatter call and one string append per channel.
 * Appending with `+=` builds a rope that is flattened and encoded once per batch, which
 * measured cheaper than collecting pieces and joining them.
 * @module
 */
import { formatFailure } from './format.js';
import type { ChannelPlan } from '../options.js';

/** One channel's share of a flushed batch. */
export interface ChannelBatch {
  /** The batch's bytes for this channel. */
  chunk: Buffer;
  /** Records in the batch (some may have had nothing on this channel). */
  records: number;
}

/** A channel's queued output: text so far, or a list of parts once bytes showed up. */
class ChannelQueue {
  text = '';
  parts: Array<string | Uint8Array> | null = null;
  /** State before the record being added, to undo it if another channel's formatter fails. */
  #markedText = '';
  #markedParts = 0;

  mark(): void {
    this.#markedText = this.text;
    this.#markedParts = this.parts === null ? 0 : this.parts.length;
  }

  undo(): void {
    this.text = this.#markedText;
    if (this.parts !== null) this.parts.length = this.#markedParts;
  }

  appendBytes(piece: Uint8Array): void {
    this.parts ??= [];
    if (this.text !== '') this.parts.push(this.text);
    this.text = '';
    this.parts.push(piece);
  }

  /**
   * Everything queued as one Buffer; empties the queue. Text is encoded here, once, so the
   * byte count is exact and the socket writes without encoding again; a lone Buffer part
   * is handed on as it is, not copied.
   */
  take(): Buffer {
    const { text, parts } = this;
    this.text = '';
    this.parts = null;
    if (parts === null) return Buffer.from(text);
    if (text !== '') parts.push(text);
    if (parts.length === 1 && typeof parts[0] !== 'string') return Buffer.from(parts[0].buffer, parts[0].byteOffset, parts[0].byteLength);
    return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
  }
}

export class WorkerBatch<T> {
  /** Records queued. */
  records = 0;
  /** Characters and bytes queued, over all channels. */
  size = 0;
  readonly #queues: ChannelQueue[];
  readonly #channels: ChannelPlan<T>[];
  readonly #workerId: number;
  readonly #flushBytes: number;
  readonly #flush: () => void;
  #scheduled: NodeJS.Immediate | null = null;

  constructor(channels: ChannelPlan<T>[], workerId: number, flushBytes: number, flush: () => void) {
    this.#channels = channels;
    this.#queues = channels.map(() => new ChannelQueue());
    this.#workerId = workerId;
    this.#flushBytes = flushBytes;
    this.#flush = flush;
  }

  /**
   * Formats `record` for every channel and queues it; flushes when the batch is big enough.
   * Throws FormatError, with nothing of this record queued, when a formatter fails.
   */
  add(record: T, recordIndex: number): void {
    const channels = this.#channels;
    const queues = this.#queues;
    let size = 0;
    for (let c = 0; c < channels.length; c++) {
      const queue = queues[c];
      let piece: unknown;
      try {
        piece = channels[c].format(record, this.#workerId);
      } catch (error) {
        this.#undo(c);
        throw formatFailure(channels[c].name, recordIndex, error, true);
      }
      queue.mark();
      if (typeof piece === 'string') {
        queue.text += piece;
        size += piece.length;
      } else if (piece instanceof Uint8Array) {
        queue.appendBytes(piece);
        size += piece.length;
      } else if (piece != null) {
        this.#undo(c);
        throw formatFailure(channels[c].name, recordIndex, piece, false);
      }
    }
    this.records++;
    this.size += size;
    if (this.size >= this.#flushBytes) this.#flush();
    else if (this.#scheduled === null) this.#scheduled = setImmediate(this.#flushAtEndOfTurn);
  }

  /** Removes and returns everything queued, one ChannelBatch per channel. */
  take(): ChannelBatch[] {
    const records = this.records;
    this.records = 0;
    this.size = 0;
    return this.#queues.map((queue) => ({ chunk: queue.take(), records }));
  }

  /** Cancels the end-of-turn flush (the worker is being stopped). */
  cancel(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = null;
  }

  /** Takes back the current record from the first `channelCount` channels. */
  #undo(channelCount: number): void {
    for (let c = 0; c < channelCount; c++) this.#queues[c].undo();
  }

  readonly #flushAtEndOfTurn = (): void => {
    this.#scheduled = null;
    this.#flush();
  };
}
