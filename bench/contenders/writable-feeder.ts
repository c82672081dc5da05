/**
 * The batched feeder again, but shaped like subfeed: an object-mode Writable that
 * `pipeline()` drives, one `write()` per record. It shows how much of the gap between
 * subfeed and the 'data'-listener feeder is the price of being a pipeline-driven Writable
 * at all (see docs/performance-analysis.md). Same batching: ~1000 records per channel write.
 * @module
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PipedWorkers } from '../piped-workers.js';
import { describeWorkload, type Workload } from '../workloads.js';
import { PendingBatch } from './batched-feeder.js';
import type { Contender, ContenderSettings } from './types.js';

async function run(workload: Workload, settings: ContenderSettings): Promise<void> {
  const plan = describeWorkload(workload);
  const batchRecords = settings.batchRecords ?? 1000;
  const batchBytes = settings.batchBytes ?? 64 * 1024;
  const workers = await PipedWorkers.spawn(plan, workload.workers);
  const batches = Array.from({ length: workers.count }, () => new PendingBatch(plan.channels.length));
  const formats = plan.channels.map((channel) => channel.format);
  let current = 0;
  let waiting: (() => void) | null = null;
  workers.onRoom(() => {
    const release = waiting;
    waiting = null;
    release?.();
  });

  const flush = (worker: number): void => {
    const batch = batches[worker];
    if (batch.records === 0) return;
    for (let channel = 0; channel < formats.length; channel++) workers.write(worker, channel, batch.take(channel));
    batch.records = 0;
    batch.size = 0;
  };
  const sink = new Writable({
    objectMode: true,
    write(record: unknown, _encoding, callback) {
      const batch = batches[current];
      for (let channel = 0; channel < formats.length; channel++) batch.add(channel, formats[channel](record));
      if (++batch.records < batchRecords && batch.size < batchBytes) return callback();
      flush(current);
      const next = workers.nextWithRoom(current);
      if (next !== -1) {
        current = next;
        return callback();
      }
      waiting = () => {
        current = Math.max(0, workers.nextWithRoom(current));
        callback();
      };
    },
    final(callback) {
      batches.forEach((_, worker) => flush(worker));
      workers.end().then(() => callback(), callback);
    },
  });
  await pipeline(Readable.from(plan.records()), sink);
}

export const contender: Contender = { run };
