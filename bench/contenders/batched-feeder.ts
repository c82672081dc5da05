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
class PendingBatch {
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

/**
 * What both batched feeders share: the workers, one PendingBatch per worker, and the rule
 * for when a batch is written (every `batchRecords` records or `batchBytes` bytes).
 */
export class BatchingFeeder {
  readonly #batches: PendingBatch[];
  readonly #formats: Array<(record: unknown) => string | Buffer>;
  readonly #batchRecords: number;
  readonly #batchBytes: number;

  private constructor(
    readonly workers: PipedWorkers,
    channelFormats: Array<(record: unknown) => string | Buffer>,
    settings: ContenderSettings,
  ) {
    this.#formats = channelFormats;
    this.#batches = Array.from({ length: workers.count }, () => new PendingBatch(channelFormats.length));
    this.#batchRecords = settings.batchRecords ?? 1000;
    this.#batchBytes = settings.batchBytes ?? 64 * 1024;
  }

  /** Spawns the workload's workers. */
  static async start(workload: Workload, settings: ContenderSettings): Promise<BatchingFeeder> {
    const plan = describeWorkload(workload);
    const workers = await PipedWorkers.spawn(plan, workload.workers);
    return new BatchingFeeder(workers, plan.channels.map((channel) => channel.format), settings);
  }

  /** Adds a record to `worker`'s batch; true when the batch is full and was written. */
  add(worker: number, record: unknown): boolean {
    const batch = this.#batches[worker];
    for (let channel = 0; channel < this.#formats.length; channel++) batch.add(channel, this.#formats[channel](record));
    if (++batch.records < this.#batchRecords && batch.size < this.#batchBytes) return false;
    this.flush(worker);
    return true;
  }

  /** Writes `worker`'s batch, if any, one write per channel. */
  flush(worker: number): void {
    const batch = this.#batches[worker];
    if (batch.records === 0) return;
    for (let channel = 0; channel < this.#formats.length; channel++) this.workers.write(worker, channel, batch.take(channel));
    batch.records = 0;
    batch.size = 0;
  }

  /** Writes every worker's batch. */
  flushAll(): void {
    for (let worker = 0; worker < this.workers.count; worker++) this.flush(worker);
  }
}

async function run(workload: Workload, settings: ContenderSettings): Promise<void> {
  const feeder = await BatchingFeeder.start(workload, settings);
  const { workers } = feeder;
  const source = Readable.from(describeWorkload(workload).records());
  let current = 0;
  workers.onRoom((worker) => {
    if (!source.isPaused()) return;
    current = worker;
    source.resume();
  });
  source.on('data', (record: unknown) => {
    if (!feeder.add(current, record)) return;
    const next = workers.nextWithRoom(current);
    if (next === -1) source.pause(); // every worker is full: wait for a 'drain'
    else current = next;
  });
  await feedUntilEnd(source, workers, () => feeder.flushAll());
}

export const contender: Contender = { run };
