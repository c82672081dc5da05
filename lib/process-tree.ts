/**
 * Signalling a child together with its descendants, read from /proc (Linux).
 *
 * `sh -c 'a; b'` does not exec its last command, so signalling only the shell orphans the
 * grandchild. Process groups (`detached` + `kill(-pid)`) would fix that but take the children
 * out of the terminal's Ctrl-C group; walking /proc keeps them in it.
 * @module
 */
import { readFileSync } from 'node:fs';

/** Pids of the direct children of `pid` (empty once it is gone). */
export function listChildPids(pid: number): number[] {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  } catch {
    return []; // ENOENT: the process is gone, so it has no children to list.
  }
  return text ? text.split(/\s+/).map(Number) : [];
}

/** `pid` and all its descendants, parents first. */
export function listProcessTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...listChildPids(tree[i]));
  return tree;
}

/**
 * Sends `signal` to `pid` and every descendant. The tree is read before any signal is sent:
 * once a parent dies its children are re-parented and can no longer be found from it.
 * Only positive pids are signalled (kill(0) or a negative pid would hit our own group).
 */
export function signalProcessTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid || pid <= 0) return;
  for (const member of listProcessTree(pid)) signalQuietly(member, signal);
}

/** Sends a signal, ignoring ESRCH (the process already exited). */
export function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone, which is what we wanted.
  }
}

/** True while `pid` exists and is not a zombie (a zombie has exited; only its entry is left). */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false; // ENOENT: gone and reaped.
  }
  return stat[stat.lastIndexOf(')') + 2] !== 'Z';
}

/**
 * Resolves once none of `pids` is running, checking every 5 ms for at most `timeoutMs`.
 * Used for descendants after SIGKILL: they are not our children, so no 'exit' event tells
 * us when they are gone, and SIGKILL takes effect only when the kernel next runs them.
 */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Stops a child and everything it started: SIGTERM to the whole tree, SIGKILL to what is
 * left after `killTimeout` ms; resolves once the child has exited (`exited`) and its
 * orphaned descendants are gone too.
 */
export async function stopProcessTree(pid: number, exited: Promise<void>, killTimeout: number): Promise<void> {
  const tree = listProcessTree(pid);
  signalProcessTree(pid, 'SIGTERM');
  const killTimer = setTimeout(() => signalProcessTree(pid, 'SIGKILL'), killTimeout);
  await exited;
  clearTimeout(killTimer);
  // Descendants orphaned by the child's death can no longer be found from it: kill what is
  // left of the tree we saw, and wait until the kernel has really ended them.
  const descendants = tree.slice(1).filter(isRunning);
  for (const member of descendants) signalQuietly(member, 'SIGKILL');
  await waitUntilGone(descendants, 1000);
}
