/**
 * The records queued for one worker and not yet handed to its channel writers, kept as
 * formatted pieces per channel. A batch is flushed when it reaches `flushBytes`, and at the
 * latest at the end of the current event-loop turn (setImmediate), so a child that answers
 * record by record is never left waiting for a batch to fill.
 * @module
 */
import type { Pieces } from './writer.js';

/** One channel's share of a flushed batch. */
export interface ChannelBatch {
  pieces: Pieces;
  /** Records in the batch (a record may have no piece on this channel). */
  records: number;
}

export class WorkerBatch {
  /** Records queued. */
  records = 0;
  /** Characters and bytes queued, over all channels. */
  size = 0;
  #pieces: Pieces[];
  readonly #staged: Array<string | Uint8Array | null>;
  readonly #flushBytes: number;
  readonly #flush: () => void;
  #scheduled: NodeJS.Immediate | null = null;

  constructor(channelCount: number, flushBytes: number, flush: () => void) {
    this.#pieces = Array.from({ length: channelCount }, () => []);
    this.#staged = new Array(channelCount).fill(null);
    this.#flushBytes = flushBytes;
    this.#flush = flush;
  }

  /** Holds one channel's piece of the record being added, until commit(). */
  stage(channel: number, piece: string | Uint8Array | null): void {
    this.#staged[channel] = piece;
  }

  /** Adds the staged record to the batch; flushes when the batch is big enough. */
  commit(): void {
    for (let c = 0; c < this.#staged.length; c++) {
      const piece = this.#staged[c];
      if (piece === null) continue;
      this.#pieces[c].push(piece);
      this.size += piece.length;
      this.#staged[c] = null;
    }
    this.records++;
    if (this.size >= this.#flushBytes) this.#flush();
    else if (!this.#scheduled) this.#scheduled = setImmediate(this.#flushAtEndOfTurn);
  }

  /** Removes and returns everything queued, one ChannelBatch per channel. */
  take(): ChannelBatch[] {
    const batches = this.#pieces.map((pieces) => ({ pieces, records: this.records }));
    this.#pieces = this.#pieces.map(() => []);
    this.records = 0;
    this.size = 0;
    return batches;
  }

  /** Cancels the end-of-turn flush (the worker is being stopped). */
  cancel(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = null;
  }

  readonly #flushAtEndOfTurn = (): void => {
    this.#scheduled = null;
    this.#flush();
  };
}
