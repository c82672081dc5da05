/**
 * Anonymous OS pipes for channels, made in pure Node on Linux.
 *
 * Why not Node's own `stdio: 'pipe'`: libuv hands the child a socketpair, and on Linux
 * `open("/dev/fd/3")` on a socket fails with ENXIO (nodejs/node#21941), so `paste /dev/fd/3 -`
 * breaks. Why not a named FIFO: re-opening a FIFO by path blocks until a writer exists, so a
 * child that opens `/dev/fd/3` after the parent closed the channel hangs forever. Re-opening an
 * anonymous pipe never waits (fs/pipe.c skips wait_for_partner for real pipes).
 *
 * Node cannot call pipe(2), so we borrow pipes from a short-lived shell pipeline
 * `producer | cat | … | consumer`: once a byte has travelled through it, every member has its
 * pipe ends in place, and `open("/proc/<member>/fd/1")` re-opens that member's pipe with the
 * mode we ask for (a new open file description: O_NONBLOCK on our write end never reaches the
 * child's read end). Then the members are killed and reaped before any of our data enters the
 * pipes, so nothing else ever holds an end. `fs.openSync` sets O_CLOEXEC, so a worker never
 * inherits another worker's ends.
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readlinkSync } from 'node:fs';
import { listChildPids, signalQuietly } from '../process-tree.js';

/** Both ends of one anonymous pipe, as file descriptors owned by this process. */
export interface PipeEnds {
  readFd: number;
  writeFd: number;
}

/** Pipes borrowed from one helper pipeline; more helpers run in parallel past this. */
const PIPES_PER_HELPER = 64;

/** Creates `count` anonymous pipes. Linux only: it relies on /proc. */
export async function createPipes(count: number): Promise<PipeEnds[]> {
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= PIPES_PER_HELPER) sizes.push(Math.min(left, PIPES_PER_HELPER));
  const groups = await Promise.allSettled(sizes.map(borrowPipes));
  const failure = groups.find((group) => group.status === 'rejected');
  if (failure) {
    for (const group of groups) if (group.status === 'fulfilled') closePipes(group.value);
    throw (failure as PromiseRejectedResult).reason;
  }
  return groups.flatMap((group) => (group as PromiseFulfilledResult<PipeEnds[]>).value);
}

/** Closes both ends of every pipe that is still open in this process. */
export function closePipes(pipes: readonly PipeEnds[]): void {
  for (const pipe of pipes) {
    closeQuietly(pipe.readFd);
    closeQuietly(pipe.writeFd);
  }
}

/** Marks pipe ends as owned elsewhere (-1), so the swarm's cleanup never closes a reused fd number. */
export function markTaken(pipes: PipeEnds[], end: keyof PipeEnds): void {
  for (const pipe of pipes) pipe[end] = -1;
}

/** Closes a descriptor that may already be closed (-1 marks one handed over). */
export function closeQuietly(fd: number): void {
  if (fd < 0) return;
  try {
    closeSync(fd);
  } catch {
    // EBADF: already closed by whoever took it over; nothing else can fail here.
  }
}

function borrowPipes(count: number): Promise<PipeEnds[]> {
  // count + 1 members joined by count pipes. The first keeps its write end open (sleep),
  // so the cats never see EOF; the last reports on stderr once the one byte (no newline: nothing
  // may be left behind in a pipe) has passed through every member.
  const members = ['{ printf x; exec sleep 600; }', ...Array(count - 1).fill('cat'), '{ head -c 1 >&2; exec sleep 600; }'];
  const helper = spawn('/bin/sh', ['-c', members.join(' | ')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let pipes: PipeEnds[] = [];
    helper.once('error', reject);
    helper.stderr.once('data', () => {
      let memberPids: number[] = [];
      try {
        memberPids = listChildPids(helper.pid!);
        openMemberPipes(memberPids, pipes);
        if (pipes.length !== count) throw new Error(`expected ${count} pipes from the helper, found ${pipes.length}`);
      } catch (error) {
        closePipes(pipes);
        pipes = [];
        helper.kill('SIGKILL');
        reject(error);
      }
      // Kill the members, not the shell: the shell reaps them before it exits, so once the
      // helper's 'exit' fires no cat is left that could read our bytes.
      for (const pid of memberPids) signalQuietly(pid, 'SIGKILL');
    });
    helper.once('exit', () => (pipes.length ? resolve(pipes) : reject(new Error('pipe helper exited early'))));
  });
}

/** Opens both ends of each member's stdout pipe, into `pipes` (so a failure can close them). */
function openMemberPipes(memberPids: number[], pipes: PipeEnds[]): void {
  for (const pid of memberPids) {
    const path = `/proc/${pid}/fd/1`;
    if (!readlinkSync(path).startsWith('pipe:')) continue;
    const writeFd = openSync(path, 'w');
    pipes.push({ writeFd, readFd: -1 });
    pipes[pipes.length - 1].readFd = openSync(path, 'r');
  }
}
