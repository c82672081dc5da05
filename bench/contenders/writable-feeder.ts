/**
 * The batched feeder again, but shaped like subfeed: an object-mode Writable that
 * `pipeline()` drives, one `write()` per record. It shows how much of the gap between
 * subfeed and the 'data'-listener feeder is the price of being a pipeline-driven Writable
 * at all (see docs/performance-analysis.md). Same batching: ~1000 records per channel write.
 * @module
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeWorkload, type Workload } from '../workloads.js';
import { BatchingFeeder } from './batched-feeder.js';
import type { Contender, ContenderSettings } from './types.js';

async function run(workload: Workload, settings: ContenderSettings): Promise<void> {
  const feeder = await BatchingFeeder.start(workload, settings);
  const { workers } = feeder;
  let current = 0;
  let waiting: (() => void) | null = null;
  workers.onRoom(() => {
    const release = waiting;
    waiting = null;
    release?.();
  });
  const sink = new Writable({
    objectMode: true,
    write(record: unknown, _encoding, callback) {
      if (!feeder.add(current, record)) return callback();
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
      feeder.flushAll();
      workers.end().then(() => callback(), callback);
    },
  });
  await pipeline(Readable.from(describeWorkload(workload).records()), sink);
}

export const contender: Contender = { run };
