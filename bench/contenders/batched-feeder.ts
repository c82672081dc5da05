/**
 * The hand-written batched feeder the issue sets as the bar: each worker's records are
 * formatted into one growing string (or Buffer list) per channel and written once per
 * ~1000 records, honouring write()'s backpressure. The issue measured string concatenation
 * as the fastest way to build a batch (cork/uncork was ~4× slower) and 100–1000 records per
 * write as the sweet spot.
 * @module
 */
import { Readable } from 'node:stream';
import { PipedWorkers, feedUntilEnd } from '../piped-workers.js';
import { describeWorkload, type Workload } from '../workloads.js';
import type { Contender, ContenderSettings } from './types.js';

/** One worker's pending batch: per channel, text built by concatenation or a Buffer list. */
export class PendingBatch {
  records = 0;
  /** Characters (text) or bytes (Buffers) queued over all channels: the same for ASCII lines. */
  size = 0;
  readonly #text: string[];
  readonly #buffers: Buffer[][];

  constructor(channelCount: number) {
    this.#text = new Array(channelCount).fill('');
    this.#buffers = Array.from({ length: channelCount }, () => []);
  }

  add(channel: number, piece: string | Buffer): void {
    if (typeof piece === 'string') this.#text[channel] += piece;
    else this.#buffers[channel].push(piece);
    this.size += piece.length;
  }

  /** Removes and returns the channel's bytes: a string, one Buffer (not copied), or their concatenation. */
  take(channel: number): string | Buffer {
    const buffers = this.#buffers[channel];
    if (buffers.length === 0) {
      const text = this.#text[channel];
      this.#text[channel] = '';
      return text;
    }
    this.#buffers[channel] = [];
    return buffers.length === 1 ? buffers[0] : Buffer.concat(buffers);
  }
}

async function run(workload: Workload, settings: ContenderSettings): Promise<void> {
  const plan = describeWorkload(workload);
  const batchRecords = settings.batchRecords ?? 1000;
  const batchBytes = settings.batchBytes ?? 64 * 1024;
  const workers = await PipedWorkers.spawn(plan, workload.workers);
  const batches = Array.from({ length: workers.count }, () => new PendingBatch(plan.channels.length));
  const formats = plan.channels.map((channel) => channel.format);
  const source = Readable.from(plan.records());
  let current = 0;

  const flush = (worker: number): void => {
    const batch = batches[worker];
    if (batch.records === 0) return;
    for (let channel = 0; channel < formats.length; channel++) workers.write(worker, channel, batch.take(channel));
    batch.records = 0;
    batch.size = 0;
  };
  workers.onRoom((worker) => {
    if (!source.isPaused()) return;
    current = worker;
    source.resume();
  });
  source.on('data', (record: unknown) => {
    const batch = batches[current];
    for (let channel = 0; channel < formats.length; channel++) batch.add(channel, formats[channel](record));
    if (++batch.records < batchRecords && batch.size < batchBytes) return;
    flush(current);
    const next = workers.nextWithRoom(current);
    if (next === -1) source.pause(); // every worker is full: wait for a 'drain'
    else current = next;
  });
  await feedUntilEnd(source, workers, () => batches.forEach((_, worker) => flush(worker)));
}

export const contender: Contender = { run };
