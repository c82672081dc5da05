/**
 * The hand-written feeder without batching: one write() per record per channel, records
 * dealt round-robin over the workers that have room. On the canonical job this is the naive
 * baseline (a syscall and a stream round-trip per record); on the bytes job, where every
 * record is already a large chunk, it is exactly a raw Node pump.
 * @module
 */
import { Readable } from 'node:stream';
import { PipedWorkers, feedUntilEnd } from '../piped-workers.js';
import { describeWorkload, type Workload } from '../workloads.js';
import type { Contender } from './types.js';

async function run(workload: Workload): Promise<void> {
  const plan = describeWorkload(workload);
  const workers = await PipedWorkers.spawn(plan, workload.workers);
  const formats = plan.channels.map((channel) => channel.format);
  const source = Readable.from(plan.records());
  let previous = workers.count - 1;

  workers.onRoom(() => source.resume());
  source.on('data', (record: unknown) => {
    // All full can only happen for records already in flight when we paused; queue them on the last worker.
    const worker = workers.nextWithRoom(previous);
    const target = worker === -1 ? previous : worker;
    let hasRoom = true;
    for (let channel = 0; channel < formats.length; channel++) hasRoom = workers.write(target, channel, formats[channel](record));
    previous = target;
    if (!hasRoom && workers.nextWithRoom(target) === -1) source.pause();
  });
  await feedUntilEnd(source, workers, () => {});
}

export const contender: Contender = { run };
