/**
 * One worker: a child process, its channel writers, its sinks and its lifecycle
 * (`starting → ready → draining → exited`). The worker decides how its own failures are
 * reported; the swarm decides what to do with them.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { ChannelWriter } from './channel/writer.js';
import { closeQuietly, markTaken, type PipeEnds } from './channel/pipes.js';
import { childArgv, childEnvironment, childStdio } from './child-setup.js';
import { ClosedError, ExitError, SpawnError, StallError, type SubfeedError } from './errors.js';
import type { SwarmPlan } from './options.js';
import { stopProcessTree } from './process-tree.js';
import { openSink, type Sink } from './sinks.js';
import { watchReadiness } from './readiness.js';
import { pipeline } from './streams.js';
import { WorkerBatch } from './channel/batch.js';
import { StallWatchdog } from './channel/stall.js';

/** Where a worker is in its life. */
export type WorkerState = 'starting' | 'ready' | 'draining' | 'exited';

/** What `swarm.workers` shows of each worker. */
export interface WorkerInfo {
  /** The worker's index, 0 to count - 1. */
  readonly id: number;
  /** Undefined until spawned, and when the spawn failed. */
  readonly pid: number | undefined;
  /** Where the worker is in its life: `starting`, `ready`, `draining` or `exited`. */
  readonly state: WorkerState;
  /** Records routed to this worker. */
  readonly records: number;
  /** Bytes written into each channel's pipe, by channel name. */
  readonly bytes: Readonly<Record<string, number>>;
  /** The child's exit code once it exited normally, else null. */
  readonly exitCode: number | null;
  /** The signal that ended the child, else null. */
  readonly signal: NodeJS.Signals | null;
}

/** What a worker tells its swarm. */
export interface WorkerEvents {
  ready(worker: Worker<unknown>): void;
  /** The worker can take records again after being full. */
  room(worker: Worker<unknown>): void;
  exit(worker: Worker<unknown>): void;
  fail(error: SubfeedError): void;
  /** stdout chunks when stdout is 'pipe'. */
  output(worker: Worker<unknown>, chunk: Buffer): void;
}

/** How long an EPIPE waits for the child's exit, so the error can say how it ended. */
const EXIT_GRACE_MS = 1000;

export class Worker<T> implements WorkerInfo {
  readonly id: number;
  state: WorkerState = 'starting';
  records = 0;
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  readonly #plan: SwarmPlan<T>;
  readonly #events: WorkerEvents;
  readonly #writers: ChannelWriter[] = [];
  readonly #batch: WorkerBatch<T>;
  readonly #stdout: Sink;
  readonly #stderr: Sink;
  #child: ChildProcess | null = null;
  #full = false;
  #closedChannel = false;
  #stopping = false;
  readonly #stall: StallWatchdog;
  readonly #exited: Promise<void>;
  #markExited!: () => void;

  constructor(id: number, plan: SwarmPlan<T>, events: WorkerEvents) {
    this.id = id;
    this.#plan = plan;
    this.#events = events;
    this.#exited = new Promise((resolve) => (this.#markExited = resolve));
    const batchBytes = Math.min(32 * 1024, plan.highWaterMark);
    this.#batch = new WorkerBatch(plan.channels, id, batchBytes, () => this.flush());
    const mustCapture = plan.ready !== undefined && typeof plan.ready !== 'function';
    this.#stdout = openSink(plan.stdout, id, { mustCapture, keepsTail: false });
    this.#stderr = openSink(plan.stderr, id, { mustCapture: false, keepsTail: true });
    this.#stall = new StallWatchdog(this.#writers, plan.stallTimeout, (full, empty) => {
      if (this.state !== 'exited') this.#fail(new StallError(id, full.channel, empty.channel, plan.stallTimeout));
    });
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get bytes(): Record<string, number> {
    return Object.fromEntries(this.#writers.map((writer) => [writer.channel, writer.bytesDelivered]));
  }

  /** True when the worker takes records now. */
  get hasRoom(): boolean {
    return this.state === 'ready' && !this.#full && !this.#closedChannel;
  }

  /** Bytes waiting in the parent for this worker: what 'ready' routing balances. */
  get load(): number {
    return this.#batch.size + (this.#full ? this.#plan.highWaterMark : 0);
  }

  /** Spawns the child on the given pipes (one per channel, in channel order). */
  start(pipes: PipeEnds[]): void {
    const plan = this.#plan as SwarmPlan<unknown>;
    const argv = childArgv(plan, this.id);
    const stdio = childStdio(plan, pipes, this.#stdout.stdio, this.#stderr.stdio);
    let child: ChildProcess;
    try {
      child = spawn(argv[0], argv.slice(1), { stdio, env: childEnvironment(plan, this.id), cwd: plan.cwd });
    } catch (error) {
      for (const pipe of pipes) closeQuietly(pipe.writeFd);
      markTaken(pipes, 'writeFd');
      this.#stdout.connect(null);
      this.#stderr.connect(null);
      this.#onSpawnError(argv, error);
      return;
    } finally {
      // The child holds its own copies now; ours would keep the pipes from ever seeing EOF.
      for (const pipe of pipes) closeQuietly(pipe.readFd);
      markTaken(pipes, 'readFd');
    }
    this.#child = child;
    this.#stdout.connect(child.stdout);
    this.#stderr.connect(child.stderr);
    if (this.#plan.stdout === 'pipe') child.stdout!.on('data', (chunk: Buffer) => this.#events.output(this as Worker<unknown>, chunk));
    child.once('error', (error) => this.#onSpawnError(argv, error));
    child.once('exit', (code, signal) => this.#onExit(code, signal));
    child.once('spawn', () => {
      watchReadiness(this.#plan.ready, child, this.id).then(
        () => this.#becomeReady(),
        (error) => this.#failUnlessExiting(new SpawnError(this.id, argv, error)),
      );
    });
    plan.channels.forEach((channel, index) => this.#openChannel(channel.name, pipes[index].writeFd));
    markTaken(pipes, 'writeFd'); // the sockets own them now
  }

  /** Formats a record for every channel and queues it; a FormatError leaves nothing queued. */
  accept(record: T, recordIndex: number): void {
    this.#batch.add(record, recordIndex);
    this.records++;
  }

  /** Hands the queued batch to the channel writers. */
  flush(): void {
    if (this.#batch.records === 0 || this.#closedChannel) return;
    const batches = this.#batch.take();
    let full = false;
    for (let c = 0; c < this.#writers.length; c++) {
      if (!this.#writers[c].write(batches[c])) full = true;
    }
    if (full) this.#becomeFull();
  }

  /** Graceful end: flush, close every channel, wait for the child and its sinks. */
  async end(): Promise<void> {
    this.flush();
    if (this.state !== 'exited') this.state = 'draining';
    for (const writer of this.#writers) writer.end();
    await this.#exited;
    await Promise.all([this.#stdout.closed(), this.#stderr.closed()]);
  }

  /** Stops the child: SIGTERM to its process tree, SIGKILL after killTimeout; resolves once reaped. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#stall.stop();
    this.#batch.cancel();
    if (!this.#child && this.state === 'starting') {
      // Never spawned: release the file sinks opened for it, and count it as exited.
      this.#stdout.connect(null);
      this.#stderr.connect(null);
      this.#onExit(null, null);
    }
    for (const writer of this.#writers) writer.destroy();
    if (this.state !== 'exited' && this.pid) await stopProcessTree(this.pid, this.#exited, this.#plan.killTimeout);
    await this.#exited;
  }

  /** Resumes or pauses a piped stdout (the swarm's readable side applies backpressure). */
  setOutputFlowing(flowing: boolean): void {
    const stdout = this.#child?.stdout;
    if (stdout && this.#plan.stdout === 'pipe') (flowing ? stdout.resume() : stdout.pause());
  }

  /** Records routed here whose bytes for `writer`'s channel have not reached the pipe. */
  #pendingRecords(writer: ChannelWriter): number {
    return this.records - writer.recordsDelivered;
  }

  #openChannel(channel: string, writeFd: number): void {
    // net.Socket passes its options on to Duplex, which honours writableHighWaterMark.
    const socketOptions = { fd: writeFd, readable: false, writable: true, writableHighWaterMark: this.#plan.highWaterMark };
    const socket = new Socket(socketOptions as ConstructorParameters<typeof Socket>[0]);
    const writer = new ChannelWriter(channel);
    writer.deliverTo(socket);
    writer.on('drain', () => this.#onDrain());
    pipeline(writer, socket, (error) => {
      if (error && !this.#stopping) this.#onChannelClosed(writer, error);
    });
    this.#writers.push(writer);
  }

  #becomeReady(): void {
    if (this.state !== 'starting') return;
    this.state = 'ready';
    this.#events.ready(this as Worker<unknown>);
  }

  #becomeFull(): void {
    this.#full = true;
    this.#stall.start();
  }

  #onDrain(): void {
    if (!this.#full || this.#writers.some((writer) => writer.writableNeedDrain)) return;
    this.#full = false;
    this.#stall.stop();
    this.#events.room(this as Worker<unknown>);
  }

  /** EPIPE and friends: the child closed its end of a channel, or is exiting. */
  #onChannelClosed(writer: ChannelWriter, cause: Error): void {
    this.#closedChannel = true;
    const how = `closed channel "${writer.channel}"`;
    this.#failUnlessExiting(new ClosedError(this.id, writer.channel, this.#pendingRecords(writer), how, cause));
  }

  /**
   * Reports `error` unless the child exits within a short grace period: EPIPE or a closed
   * stdout usually arrive just before the exit, and the exit says better what went wrong.
   */
  #failUnlessExiting(error: SubfeedError): void {
    const timer = setTimeout(() => this.#fail(error), EXIT_GRACE_MS);
    this.#exited.then(() => clearTimeout(timer));
  }

  #onSpawnError(argv: string[], error: unknown): void {
    this.#fail(new SpawnError(this.id, argv, error));
    this.#onExit(null, null);
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.state === 'exited') return;
    this.state = 'exited';
    this.exitCode = code;
    this.signal = signal;
    this.#stall.stop();
    if (!this.#stopping && this.#child?.pid) {
      const error = this.#exitError(code, signal);
      if (error) this.#fail(error);
    }
    this.#markExited();
    this.#events.exit(this as Worker<unknown>);
  }

  #exitError(code: number | null, signal: NodeJS.Signals | null): SubfeedError | null {
    if (signal || code !== 0) return new ExitError(this.id, code, signal, this.#stderr.tail());
    const writer = this.#writers.find((candidate) => this.#pendingRecords(candidate) > 0);
    if (!writer) return null;
    return new ClosedError(this.id, writer.channel, this.#pendingRecords(writer), 'exited with code 0');
  }

  #fail(error: SubfeedError): void {
    if (!this.#stopping) this.#events.fail(error);
  }
}
