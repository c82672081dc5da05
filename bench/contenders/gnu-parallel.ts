/**
 * GNU parallel doing subfeed's job for a byte stream: this process produces the same records
 * the same way (`Readable.from(generator)`) and writes them into the stdin of
 * `parallel --pipe --round-robin -j<workers> cat`, which deals blocks of whole lines to its
 * cat children (stdout discarded). Only the swarm in the middle differs.
 * @module
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { closeQuietly, createPipes } from '../../lib/channel/pipes.js';
import { describeWorkload, type Workload } from '../workloads.js';
import type { Contender } from './types.js';

async function run(workload: Workload): Promise<void> {
  const plan = describeWorkload(workload);
  // A real pipe, like the other contenders get (stdio 'pipe' would be a socketpair).
  const [pipe] = await createPipes(1);
  const argv = ['--will-cite', '--pipe', '--round-robin', '-j', String(workload.workers), 'cat'];
  const parallel = spawn('parallel', argv, { stdio: [pipe.readFd, 'ignore', 'inherit'] });
  closeQuietly(pipe.readFd);
  const exited = once(parallel, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const stdin = new Socket({ fd: pipe.writeFd, readable: false, writable: true });
  await pipeline(Readable.from(plan.records()) as Readable, stdin);
  const [code, signal] = await exited;
  if (code !== 0) throw new Error(`parallel exited with ${signal ?? `code ${code}`}`);
}

export const contender: Contender = { run };
