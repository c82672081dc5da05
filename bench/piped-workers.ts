/**
 * The plumbing the hand-written baselines share: N children, each reading one real pipe per
 * channel, and write-side bookkeeping for backpressure. Deliberately minimal (no error
 * classes, no restarts): it is the "best code a user could write by hand" that subfeed is
 * measured against.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { closeQuietly, createPipes } from '../lib/channel/pipes.js';
import { channelFd, resolveChannelPaths, type FeedPlan } from './workloads.js';

/** Bytes a channel socket buffers before write() returns false; subfeed's default too. */
const SOCKET_HIGH_WATER_MARK = 64 * 1024;

/** N children fed over real pipes, with per-worker "has room" tracking. */
export class PipedWorkers {
  readonly count: number;
  /** Rejects on the first child or socket failure; resolves when every child exited 0 after end(). */
  readonly done: Promise<void>;
  readonly #channels: Socket[][];
  /** Per worker: how many of its channels wait for 'drain'. */
  readonly #fullChannels: number[];
  /** Sockets with a pending 'drain' listener, so each gets only one. */
  readonly #waitingForDrain = new Set<Socket>();
  #onRoom: (worker: number) => void = () => {};

  private constructor(children: ChildProcess[], channels: Socket[][]) {
    this.count = children.length;
    this.#channels = channels;
    this.#fullChannels = children.map(() => 0);
    const failures = channels.flat().map((socket) => new Promise<never>((_, reject) => socket.once('error', reject)));
    this.done = Promise.race([Promise.all(children.map(exitedCleanly)).then(() => undefined), ...failures]);
  }

  /**
   * Spawns `count` children running `plan.argv`. Node's stdio 'pipe' would give socketpairs,
   * which `open("/dev/fd/3")` rejects with ENXIO, so every channel is a real pipe.
   */
  static async spawn(plan: FeedPlan, count: number, stdout: 'ignore' | 'inherit' = 'ignore'): Promise<PipedWorkers> {
    const channelCount = plan.channels.length;
    const pipes = await createPipes(count * channelCount);
    const argv = resolveChannelPaths(plan.argv, plan.channels);
    const children: ChildProcess[] = [];
    const sockets: Socket[][] = [];
    try {
      for (let worker = 0; worker < count; worker++) {
        const own = pipes.slice(worker * channelCount, (worker + 1) * channelCount);
        const stdio: Array<number | 'ignore' | 'inherit'> = ['ignore', stdout, 'inherit'];
        own.forEach((pipe, index) => (stdio[channelFd(index)] = pipe.readFd));
        children.push(spawn(argv[0], argv.slice(1), { stdio }));
        sockets.push(own.map((pipe) => openWriteSocket(pipe.writeFd)));
        for (const pipe of own) pipe.writeFd = -1; // the socket owns it now
      }
    } catch (error) {
      for (const pipe of pipes) closeQuietly(pipe.writeFd);
      throw error;
    } finally {
      // The children hold their own copies of the read ends; ours would hide EOF from them.
      for (const pipe of pipes) closeQuietly(pipe.readFd);
    }
    return new PipedWorkers(children, sockets);
  }

  /** Calls `listener` whenever a full worker can take bytes again. */
  onRoom(listener: (worker: number) => void): void {
    this.#onRoom = listener;
  }

  /** True when none of the worker's channels is waiting for 'drain'. */
  hasRoom(worker: number): boolean {
    return this.#fullChannels[worker] === 0;
  }

  /** The first worker with room after `previous` (round-robin), or -1 when all are full. */
  nextWithRoom(previous: number): number {
    for (let step = 1; step <= this.count; step++) {
      const worker = (previous + step) % this.count;
      if (this.#fullChannels[worker] === 0) return worker;
    }
    return -1;
  }

  /** Writes `chunk` to one channel of one worker; false once that worker is full. */
  write(worker: number, channel: number, chunk: string | Buffer): boolean {
    const socket = this.#channels[worker][channel];
    if (!socket.write(chunk) && !this.#waitingForDrain.has(socket)) this.#waitForDrain(worker, socket);
    return this.#fullChannels[worker] === 0;
  }

  /** Ends every channel and waits for every child to exit 0. */
  end(): Promise<void> {
    for (const socket of this.#channels.flat()) socket.end();
    return this.done;
  }

  /** Closes every channel at once (after a failure): the children see EOF and exit. */
  destroy(): void {
    for (const socket of this.#channels.flat()) socket.destroy();
  }

  #waitForDrain(worker: number, socket: Socket): void {
    this.#waitingForDrain.add(socket);
    this.#fullChannels[worker]++;
    socket.once('drain', () => {
      this.#waitingForDrain.delete(socket);
      if (--this.#fullChannels[worker] === 0) this.#onRoom(worker);
    });
  }
}

function openWriteSocket(fd: number): Socket {
  // net.Socket passes unknown options on to Duplex, which honours writableHighWaterMark.
  const options = { fd, readable: false, writable: true, writableHighWaterMark: SOCKET_HIGH_WATER_MARK };
  return new Socket(options as ConstructorParameters<typeof Socket>[0]);
}

function exitedCleanly(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${child.spawnfile} exited with ${signal ?? `code ${code}`}`));
    });
  });
}

/** Resolves once the source ended, the last batches are written and every child exited 0. */
export function feedUntilEnd(source: Readable, workers: PipedWorkers, flushAll: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    workers.done.catch((error: Error) => {
      source.destroy();
      workers.destroy();
      reject(error);
    });
    source.once('error', reject);
    source.once('end', () => {
      flushAll();
      workers.end().then(resolve, reject);
    });
  });
}
