/**
 * Runs one contender job in a fresh Node process and collects what it reports, plus the
 * peak RSS of the processes it started (paste, cat, parallel…), sampled from /proc because
 * Node cannot read a reaped child's rusage.
 * @module
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { listProcessTree, signalProcessTree } from '../lib/process-tree.js';
import type { ContenderJob, ContenderReport } from './child.js';

/** One timed run as the results file stores it. */
export interface RunMeasurement {
  seconds: number;
  /** Peak RSS of the contender's Node process, KiB. */
  rssKiB: number;
  /** Peak RSS of the processes the contender started, together, KiB (sampled; 0 if none was seen). */
  childrenRssKiB: number;
}

/** How often the children's VmHWM is read. High-water marks only grow, so sampling misses little. */
const SAMPLE_INTERVAL_MS = 20;

/** Runs `job` with `node childScript`; rejects with the contender's stderr when it fails or times out. */
export function runContender(childScript: string, job: ContenderJob, timeoutMs: number): Promise<RunMeasurement> {
  const child = spawn(process.execPath, [childScript, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let childrenRssKiB = 0;
  const sampler = setInterval(() => {
    childrenRssKiB = Math.max(childrenRssKiB, childrenPeakRssKiB(child.pid));
  }, SAMPLE_INTERVAL_MS);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalProcessTree(child.pid, 'SIGKILL');
  }, timeoutMs);
  const stopWatching = () => {
    clearInterval(sampler);
    clearTimeout(timer);
  };
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      stopWatching();
      reject(error);
    });
    child.once('close', (code, signal) => {
      stopWatching();
      if (code !== 0) {
        const how = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited with ${signal ?? `code ${code}`}`;
        reject(new Error(`${job.contender} ${how}${stderr ? `: ${lastLine(stderr)}` : ''}`));
        return;
      }
      try {
        const report = JSON.parse(stdout) as ContenderReport;
        resolve({ seconds: report.seconds, rssKiB: report.rssKiB, childrenRssKiB });
      } catch {
        // Exit 0 without a report: the event loop emptied while the contender awaited something that never came.
        reject(new Error(`${job.contender} exited without reporting a result (a promise that never settled?)`));
      }
    });
  });
}

/**
 * Sum of the VmHWM of the live descendants of `pid` (not `pid` itself: it reports its own).
 * The maximum of this over the samples is the children's peak, counting a short-lived helper
 * (the pipe-making shell) only if it was alive at the same time as the others.
 */
function childrenPeakRssKiB(pid: number | undefined): number {
  if (!pid) return 0;
  return listProcessTree(pid)
    .slice(1)
    .reduce((sum, member) => sum + readPeakRssKiB(member), 0);
}

/** VmHWM of a live process in KiB, or 0 once it is gone (or a zombie, which has no memory). */
function readPeakRssKiB(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // ENOENT/ESRCH: exited between listing and reading.
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines.find((line) => /Error|error:/.test(line)) ?? lines[lines.length - 1];
}
