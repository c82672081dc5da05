/**
 * Teardown checks every test runs: no child left alive, no file descriptor leaked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isRunning } from '../../lib/process-tree.js';

/** Number of open file descriptors of this process. */
export function countOpenFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** True when a process with this pid exists and is not a zombie. */
export const isAlive = isRunning;

/** Pids of the live (non-zombie) direct children of this process. */
export function liveChildPids(): number[] {
  const text = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
  return text.trim() ? text.trim().split(/\s+/).map(Number).filter(isAlive) : [];
}

/** Waits (polling briefly) until the fd count returns to `baseline`; returns the final count. */
export async function settledFdCount(baseline: number, attempts = 50): Promise<number> {
  let count = countOpenFds();
  for (let i = 0; i < attempts && count > baseline; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    count = countOpenFds();
  }
  return count;
}

/** Polls `predicate` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Registers the checks every spec file runs around each test: afterwards no child of this
 * process is alive and no file descriptor is open that was not open before.
 */
export function checkTeardownAroundEachTest(): void {
  let fdsBefore = 0;
  beforeEach(() => {
    fdsBefore = countOpenFds();
  });
  afterEach(async () => {
    expect(liveChildPids()).toEqual([]);
    expect(await settledFdCount(fdsBefore)).toBeLessThanOrEqual(fdsBefore);
  });
}
