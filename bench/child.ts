/**
 * Entry point of one contender process: `node child.js '<job as JSON>'`. Runs the job once
 * and prints one JSON line on stdout: the timed seconds and this process's peak RSS.
 * The orchestrator (bench/run.ts) starts a fresh process per run, so no contender shares a
 * heap, a JIT or a garbage collector with another.
 * @module
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadContender, type ContenderName, type ContenderSettings } from './contenders/index.js';
import type { Workload } from './workloads.js';

/** What the orchestrator asks a contender process to do. */
export interface ContenderJob {
  contender: ContenderName;
  workload: Workload;
  settings: ContenderSettings;
}

/** What a contender process reports back. */
export interface ContenderReport {
  seconds: number;
  /** Peak resident set of this Node process (VmHWM), KiB. */
  rssKiB: number;
}

/**
 * VmHWM from /proc/self/status. Not `process.resourceUsage().maxRSS`: Linux keeps ru_maxrss
 * across execve, so a child forked from the orchestrator starts with the orchestrator's RSS
 * as its floor (every contender read ~74 MiB once the orchestrator had grown to that).
 * VmHWM belongs to the address space that exec created, so it is this process's own.
 */
function readOwnPeakRssKiB(): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match) throw new Error('no VmHWM line in /proc/self/status');
  return Number(match[1]);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as ContenderJob;
  const contender = await loadContender(job.contender);
  await contender.prepare?.(job.workload);
  const start = performance.now();
  await contender.run(job.workload, job.settings);
  const seconds = (performance.now() - start) / 1000;
  const report: ContenderReport = { seconds, rssKiB: readOwnPeakRssKiB() };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
