/**
 * One worker: a child process, its channel writers, its sinks and its lifecycle
 * (`starting → ready → draining → exited`). The worker decides how its own failures are
 * reported; the swarm decides what to do with them.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { substitutePlaceholders } from './command.js';
import { ChannelWriter } from './channel/writer.js';
import { closeQuietly, type PipeEnds } from './channel/pipes.js';
import { ClosedError, ExitError, SpawnError, StallError, type SubfeedError } from './errors.js';
import type { ChannelPlan, SwarmPlan } from './options.js';
import { isRunning, listProcessTree, signalProcessTree, signalQuietly, waitUntilGone } from './process-tree.js';
import { openSink, type Sink } from './sinks.js';
import { watchReadiness } from './readiness.js';
import { pipeline } from './streams.js';
import { WorkerBatch } from './channel/batch.js';

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
  #stallTimer: NodeJS.Timeout | null = null;
  #killTimer: NodeJS.Timeout | null = null;
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
    this.#stdout = openSink(plan.stdout, id, mustCapture);
    this.#stderr = openSink(plan.stderr, id, false);
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
    const { command, channels } = this.#plan;
    const paths = new Map(channels.map((channel) => [channel.name, `/dev/fd/${channel.fd}`]));
    const argv = command.map((argument) => substitutePlaceholders(argument, this.id, paths));
    let child: ChildProcess;
    try {
      child = spawn(argv[0], argv.slice(1), { stdio: this.#stdio(pipes), env: this.#environment(), cwd: this.#plan.cwd });
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
    channels.forEach((channel, index) => this.#openChannel(channel, pipes[index].writeFd));
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
    this.#clearStallTimer();
    this.#batch.cancel();
    if (!this.#child && this.state === 'starting') this.#onExit(null, null); // never spawned
    for (const writer of this.#writers) writer.destroy();
    if (this.state !== 'exited' && this.pid) {
      const tree = listProcessTree(this.pid);
      signalProcessTree(this.pid, 'SIGTERM');
      this.#killTimer = setTimeout(() => signalProcessTree(this.pid, 'SIGKILL'), this.#plan.killTimeout);
      await this.#exited;
      // Descendants orphaned by the child's death can no longer be found from it: kill what
      // is left of the tree we saw, and wait until the kernel has really ended them.
      const descendants = tree.slice(1).filter(isRunning);
      for (const pid of descendants) signalQuietly(pid, 'SIGKILL');
      await waitUntilGone(descendants, 1000);
    }
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

  #stdio(pipes: PipeEnds[]): Array<'inherit' | 'ignore' | 'pipe' | number> {
    const stdio: Array<'inherit' | 'ignore' | 'pipe' | number> = ['ignore', this.#stdout.stdio, this.#stderr.stdio];
    this.#plan.channels.forEach((channel, index) => (stdio[channel.fd] = pipes[index].readFd));
    return stdio;
  }

  #environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.#plan.env, SUBFEED_WORKER_ID: String(this.id) };
    for (const channel of this.#plan.channels) if (channel.name !== 'stdin') env[channel.name] = String(channel.fd);
    return env;
  }

  #openChannel(channel: ChannelPlan<T>, writeFd: number): void {
    // net.Socket passes its options on to Duplex, which honours writableHighWaterMark.
    const socketOptions = { fd: writeFd, readable: false, writable: true, writableHighWaterMark: this.#plan.highWaterMark };
    const socket = new Socket(socketOptions as ConstructorParameters<typeof Socket>[0]);
    const writer = new ChannelWriter(channel.name);
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
    if (this.#plan.stallTimeout > 0 && !this.#stallTimer) this.#armStallTimer(this.#deliveredTotal());
  }

  #onDrain(): void {
    if (!this.#full || this.#writers.some((writer) => writer.writableNeedDrain)) return;
    this.#full = false;
    this.#clearStallTimer();
    this.#events.room(this as Worker<unknown>);
  }

  #deliveredTotal(): number {
    return this.#writers.reduce((sum, writer) => sum + writer.bytesDelivered, 0);
  }

  /** Fails with ERR_SUBFEED_STALL when nothing moved while one channel is full and another starved. */
  #armStallTimer(deliveredBefore: number): void {
    this.#stallTimer = setTimeout(() => {
      this.#stallTimer = null;
      const delivered = this.#deliveredTotal();
      const full = this.#writers.find((writer) => writer.writableNeedDrain);
      const empty = this.#writers.find((writer) => writer.isIdle);
      if (delivered === deliveredBefore && full && empty && this.state !== 'exited') {
        this.#fail(new StallError(this.id, full.channel, empty.channel, this.#plan.stallTimeout));
      } else if (this.#full) {
        this.#armStallTimer(delivered);
      }
    }, this.#plan.stallTimeout);
  }

  #clearStallTimer(): void {
    if (this.#stallTimer) clearTimeout(this.#stallTimer);
    this.#stallTimer = null;
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
    this.#clearStallTimer();
    if (this.#killTimer) clearTimeout(this.#killTimer);
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

/** Marks pipe ends as owned elsewhere (-1), so the swarm's cleanup never closes a reused fd number. */
function markTaken(pipes: PipeEnds[], end: keyof PipeEnds): void {
  for (const pipe of pipes) pipe[end] = -1;
}
