/**
 * The swarm: an object-mode Writable (readable too when stdout is 'pipe') that routes each
 * record to one worker. `pipeline()` drives it: a held `_write` callback is the backpressure,
 * `_final` is the graceful shutdown, `_destroy` the forced one.
 * @module
 */
import { closePipes, createPipes, type PipeEnds } from './channel/pipes.js';
import { AbortedError, ClosedError, FormatError, SpawnError, SubfeedError } from './errors.js';
import { validateOptions, type SwarmOptions, type SwarmPlan } from './options.js';
import { createRouter, type Router } from './router.js';
import { Duplex } from './streams.js';
import { Worker, type WorkerEvents, type WorkerInfo } from './worker.js';
import { OutputLines } from './output.js';

type WriteCallback = (error?: Error | null) => void;

/**
 * The stream returned by {@link createSwarm}. Write records to it (or pipe into it); it
 * finishes once every child has exited 0 and every sink is closed.
 *
 * Events: `worker-ready` and `worker-exit`, each with the worker's {@link WorkerInfo}.
 */
export class Swarm<T> extends Duplex {
  readonly #plan: SwarmPlan<T>;
  readonly #workers: Worker<T>[];
  readonly #route: Router<T>;
  readonly #output: OutputLines | null;
  #recordIndex = 0;
  /** The record waiting for a worker with room, and the callback that releases the source. */
  #heldRecord: T | undefined;
  #heldCallback: WriteCallback | null = null;
  #failure: SubfeedError | null = null;
  #pipes: PipeEnds[] = [];
  /** The worker that exited last: the one named when a record finds no worker left. */
  #lastExited: WorkerInfo | null = null;
  #removeAbortListener: () => void = () => {};

  /** @internal Use {@link createSwarm}, which validates the options. */
  constructor(plan: SwarmPlan<T>) {
    const piped = plan.stdout === 'pipe';
    super({
      writableObjectMode: true,
      readable: piped,
      readableHighWaterMark: plan.highWaterMark,
      allowHalfOpen: true,
    });
    this.#plan = plan;
    const events = this.#workerEvents();
    this.#workers = Array.from({ length: plan.count }, (_, id) => new Worker<T>(id, plan, events));
    this.#route = createRouter(plan.route, this.#workers, plan.channels[0].name);
    this.#output = piped ? new OutputLines((chunk) => this.push(chunk)) : null;
    this.#watchSignal(plan.signal);
  }

  /** Live view of every worker: id, pid, state, records, bytes per channel, exit status. */
  get workers(): readonly WorkerInfo[] {
    return this.#workers;
  }

  /** @internal */
  _construct(callback: (error?: Error | null) => void): void {
    const channelCount = this.#plan.channels.length;
    createPipes(this.#plan.count * channelCount).then(
      (pipes) => {
        this.#pipes = pipes;
        // destroy() during construction waits for it: start nothing that would be killed at once.
        if (this.destroyed) return callback();
        this.#workers.forEach((worker, id) => worker.start(pipes.slice(id * channelCount, (id + 1) * channelCount)));
        callback();
      },
      (error: unknown) => callback(SpawnError.forPipes(this.#plan.command, error)),
    );
  }

  /** @internal */
  override _write(record: T, _encoding: BufferEncoding, callback: WriteCallback): void {
    if (this.#tryDeliver(record, callback)) return;
    this.#heldRecord = record;
    this.#heldCallback = callback;
    this.#failIfNoWorkerLeft(); // every child may have exited (0) before this record came
  }

  /** @internal */
  override _final(callback: (error?: Error | null) => void): void {
    Promise.all(this.#workers.map((worker) => worker.end())).then(() => {
      this.#output?.end();
      if (this.#output) this.push(null);
      callback(this.#failure);
    }, callback);
  }

  /** @internal */
  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.#removeAbortListener();
    const reported = this.#failure ?? error;
    Promise.all(this.#workers.map((worker) => worker.stop())).then(() => {
      closePipes(this.#pipes); // only the ends no worker took over (a worker marks what it takes)
      callback(reported);
    }, callback);
  }

  /** @internal */
  override _read(): void {
    for (const worker of this.#workers) worker.setOutputFlowing(true);
  }

  /** Routes the held record if some worker has room now; otherwise leaves it held. */
  #deliverHeld(): void {
    const callback = this.#heldCallback;
    if (callback === null) return;
    const record = this.#heldRecord as T;
    // Clear first: the callback may synchronously write the next record, which can be held.
    this.#heldRecord = undefined;
    this.#heldCallback = null;
    if (this.#tryDeliver(record, callback)) return;
    this.#heldRecord = record;
    this.#heldCallback = callback;
  }

  /**
   * Hands `record` to a worker with room and releases its write callback; false when no
   * worker has room (the caller holds the record). A record the formatters or the key
   * function refuse counts as handled: the swarm drains and then fails.
   */
  #tryDeliver(record: T, callback: WriteCallback): boolean {
    try {
      const worker = this.#route(record);
      if (worker === null) return false;
      worker.accept(record, this.#recordIndex);
    } catch (error) {
      this.#failAfterDrain(this.#asSubfeedError(error), callback);
      return true;
    }
    this.#recordIndex++;
    callback();
    return true;
  }

  /**
   * A bad record (its formatter or key function failed) fails the swarm, but only after every
   * record accepted before it has been delivered and every child has exited: bad input loses
   * nothing that was already accepted.
   */
  #failAfterDrain(error: SubfeedError, callback: WriteCallback): void {
    this.#failure ??= error;
    Promise.all(this.#workers.map((worker) => worker.end())).then(() => callback(this.#failure), callback);
  }

  #asSubfeedError(error: unknown): SubfeedError {
    if (error instanceof SubfeedError) return error;
    return new FormatError('route.key', this.#recordIndex, `threw (${(error as Error)?.message ?? error})`, error);
  }

  #workerEvents(): WorkerEvents {
    return {
      ready: (worker) => {
        this.emit('worker-ready', worker);
        this.#deliverHeld();
      },
      room: () => this.#deliverHeld(),
      exit: (worker) => {
        this.emit('worker-exit', worker);
        this.#lastExited = worker;
        this.#failIfNoWorkerLeft();
      },
      fail: (error) => this.#fail(error),
      output: (worker, chunk) => {
        if (!this.#output!.add(worker.id, chunk)) for (const each of this.#workers) each.setOutputFlowing(false);
      },
    };
  }

  /** A record is waiting but every worker has exited: nobody will ever take it. */
  #failIfNoWorkerLeft(): void {
    const last = this.#lastExited;
    if (this.#heldCallback === null || last === null || this.#workers.some((worker) => worker.state !== 'exited')) return;
    this.#fail(new ClosedError(last.id, this.#plan.channels[0].name, 1, `exited with code ${last.exitCode}`));
  }

  #fail(error: SubfeedError): void {
    this.#failure ??= error;
    this.destroy(this.#failure);
  }

  #watchSignal(signal: AbortSignal | undefined): void {
    if (!signal) return;
    const abort = () => this.#fail(new AbortedError(signal.reason));
    if (signal.aborted) {
      process.nextTick(abort);
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    this.#removeAbortListener = () => signal.removeEventListener('abort', abort);
  }
}

/**
 * Creates a swarm of `count` persistent children fed from the records written to it.
 * Options are validated here, before any child starts (ERR_SUBFEED_OPTIONS).
 * @example
 * ```ts
 * await pipeline(records, createSwarm<Row>({
 *   command: 'paste -d "\t" {nums} -',
 *   count: 2,
 *   channels: { stdin: (row) => `${row.text}\n`, nums: (row) => `${row.n}\n` },
 *   stdout: '{id}.out',
 * }));
 * ```
 */
export function createSwarm<T = unknown>(options: SwarmOptions<T>): Swarm<T> {
  return new Swarm<T>(validateOptions(options));
}
