/**
 * When a spawned worker may take records. Without a check, at once; with
 * `{ stdoutLine }`, when a stdout line matches (mind the child's output buffering: a
 * Python child needs `flush=True` or `-u`, C stdio needs `fflush`); with a function, when
 * it resolves.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import type { ReadyCheck } from './options.js';

/** Resolves when the worker is ready; rejects if the check fails or stdout ends first. */
export async function watchReadiness(check: ReadyCheck | undefined, child: ChildProcess, workerId: number): Promise<void> {
  if (check === undefined) return;
  if (typeof check === 'function') {
    await check({ workerId, pid: child.pid! });
    return;
  }
  await waitForLine(child, check.stdoutLine);
}

function waitForLine(child: ChildProcess, pattern: string | RegExp): Promise<void> {
  // A RegExp with the g or y flag keeps lastIndex between test() calls: start each line afresh.
  const matches = (line: string) => {
    if (typeof pattern === 'string') return line === pattern;
    pattern.lastIndex = 0;
    return pattern.test(line);
  };
  const stdout = child.stdout!;
  return new Promise((resolve, reject) => {
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      if (lines.some(matches)) {
        stdout.off('data', onData);
        stdout.off('end', onEnd);
        resolve();
      }
    };
    const onEnd = () => reject(new Error(`stdout ended before a line matched ${String(pattern)}`));
    stdout.on('data', onData);
    stdout.once('end', onEnd);
  });
}
