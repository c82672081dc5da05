/**
 * The operating system's own pipe throughput, no Node in the data path:
 * `head -c BYTES /dev/zero | cat >/dev/null`. The bytes job's ceiling (cat does not care that
 * these are zeros rather than text lines).
 * @module
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { payloadBytes, type Workload } from '../workloads.js';
import type { Contender } from './types.js';

async function run(workload: Workload): Promise<void> {
  const script = `head -c ${payloadBytes(workload)} /dev/zero | cat >/dev/null`;
  const shell = spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code, signal] = (await once(shell, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`${script} exited with ${signal ?? `code ${code}`}`);
}

export const contender: Contender = { run };
