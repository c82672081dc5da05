/**
 * `Coordinator.feed()` over a Writable: one `write()` per record, and a promise that settles
 * once the stream took the record and has room again (after `'drain'` when `write()`
 * returned false). Awaiting it is the backpressure.
 *
 * Callers that do not await must still lose nothing and keep their order, so records fed
 * while the stream is full wait here, in order, and are written on `'drain'`; the stream's
 * own buffer never grows past its highWaterMark. What waits here is the caller's records
 * and little else: records fed back to back while the stream is full share one promise
 * (a "run"), which settles when the run's last record is taken.
 * @module
 */
import { ClosedError } from '../errors.js';
import { createRun, RunQueue, type Run } from './runs.js';

/** The part of the swarm the feeder drives. */
export interface FeedTarget {
  write(record: unknown): boolean;
  end(): unknown;
  destroy(error?: Error): unknown;
  readonly destroyed: boolean;
  on(event: 'drain' | 'error' | 'close', listener: (error?: Error) => void): unknown;
}

/** Records per shared promise: bounds how late an awaited feed in a run can settle. */
const RUN_LENGTH = 1024;

const RESOLVED: Promise<void> = Promise.resolve();
const ignore = (): void => {};

/** Feeds records into a FeedTarget (the swarm) in order, holding them while it is full. */
export class Feeder {
  readonly #target: FeedTarget;
  /** Runs not fully written yet; the first may be partly written. */
  readonly #queue = new RunQueue();
  /** The run whose last write returned false: it settles on 'drain'. */
  #blocked: Run | null = null;
  #failure: Error | null = null;
  #failureReported = false;
  #ending = false;
  #closed = false;
  readonly #whenClosed: Promise<void>;

  constructor(target: FeedTarget) {
    this.#target = target;
    target.on('drain', () => this.#onDrain());
    target.on('error', (error) => this.#onError(error!));
    this.#whenClosed = new Promise((resolve) => {
      target.on('close', () => {
        this.#closed = true;
        this.#rejectPending(this.#failure ?? ClosedError.afterClose('the swarm closed before the batch was sent'));
        resolve();
      });
    });
  }

  /** True once a feed() promise that someone awaited has rejected with the failure. */
  get failureReported(): boolean {
    return this.#failureReported;
  }

  /** Writes `record` now if the stream has room and nothing waits; otherwise queues it. */
  feed(record: unknown): Promise<void> {
    if (this.#failure) return this.#rejected(this.#failure);
    if (this.#ending || this.#closed) return this.#rejected(ClosedError.afterClose('feed() was called after close()'));
    if (this.#queue.size > 0 || this.#blocked || this.#target.destroyed) return this.#enqueue(record);
    if (this.#target.write(record)) return RESOLVED;
    this.#blocked = createRun();
    return this.#blocked.promise;
  }

  /** Writes what is queued, ends the stream, and waits until it closed; rejects with its failure. */
  async end(): Promise<void> {
    if (!this.#ending) {
      this.#ending = true;
      if (this.#queue.size === 0) this.#endTarget();
    }
    await this.#whenClosed;
    if (this.#failure) throw this.#failure;
  }

  /** Destroys the stream (its children are stopped) and waits until it closed. Never rejects. */
  async destroy(error: Error): Promise<void> {
    this.#ending = true;
    this.#target.destroy(error);
    await this.#whenClosed;
  }

  #enqueue(record: unknown): Promise<void> {
    let tail = this.#queue.last;
    if (!tail || tail.records.length >= RUN_LENGTH) this.#queue.push((tail = createRun()));
    tail.records.push(record);
    return tail.promise;
  }

  #onDrain(): void {
    this.#blocked?.resolve();
    this.#blocked = null;
    this.#writeQueued();
  }

  /** Writes queued records in order until the stream is full again or the queue is empty. */
  #writeQueued(): void {
    for (let run = this.#queue.first; run; run = this.#queue.first) {
      while (run.next < run.records.length) {
        if (this.#target.destroyed) return; // its 'error' or 'close' rejects what is left
        const record = run.records[run.next];
        run.records[run.next++] = undefined; // the stream holds it now
        if (!this.#target.write(record)) {
          if (run.next === run.records.length) this.#blocked = this.#queue.shift();
          return;
        }
      }
      this.#queue.shift().resolve();
    }
    if (this.#ending) this.#endTarget();
  }

  #endTarget(): void {
    // Every record is in the stream; after end() no 'drain' comes, and none is needed.
    this.#blocked?.resolve();
    this.#blocked = null;
    if (!this.#target.destroyed) this.#target.end();
  }

  #onError(error: Error): void {
    this.#failure ??= error;
    this.#rejectPending(this.#failure);
  }

  #rejectPending(error: Error): void {
    const runs = this.#queue.takeAll();
    if (this.#blocked) runs.unshift(this.#blocked);
    this.#blocked = null;
    for (const run of runs) this.#reject(run, error);
  }

  #rejected(error: Error): Promise<void> {
    const run = createRun();
    this.#reject(run, error);
    return run.promise;
  }

  /**
   * Rejects a run's promise without ever making it an unhandled rejection: a caller who did
   * not await feed() learns of the failure from close(). Notes whether an awaiting caller
   * sees it, now or later.
   */
  #reject(run: Run, error: Error): void {
    const { promise } = run;
    if (error === this.#failure) {
      if (promise.observed) this.#failureReported = true;
      else promise.onObserved = () => (this.#failureReported = true);
    }
    Promise.prototype.then.call(promise, undefined, ignore); // the base then: not an observation
    run.reject(error);
  }
}
