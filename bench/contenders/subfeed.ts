/**
 * subfeed itself, used the way its README shows: `pipeline(Readable.from(generator), swarm)`,
 * with the workload's channels as formatters and stdout discarded.
 * @module
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createSwarm } from '../../lib/index.js';
import { describeWorkload, type Workload } from '../workloads.js';
import type { Contender } from './types.js';

async function run(workload: Workload): Promise<void> {
  const plan = describeWorkload(workload);
  const channels = Object.fromEntries(plan.channels.map((channel) => [channel.name, channel.format]));
  const swarm = createSwarm<unknown>({ command: plan.argv, count: workload.workers, channels, stdout: 'ignore' });
  await pipeline(Readable.from(plan.records()), swarm);
}

export const contender: Contender = { run };
