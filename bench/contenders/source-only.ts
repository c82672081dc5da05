/**
 * Making the records and nothing else: `Readable.from(generator)` piped into a Writable that
 * drops them. The swarm cannot be faster than its source; the target is that it costs
 * little more (subfeed ≥ 0.75× this).
 * @module
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeWorkload, type Workload } from '../workloads.js';
import type { Contender } from './types.js';

async function run(workload: Workload): Promise<void> {
  const plan = describeWorkload(workload);
  const discard = new Writable({ objectMode: true, write: (_record, _encoding, callback) => callback() });
  await pipeline(Readable.from(plan.records()), discard);
}

export const contender: Contender = { run };
