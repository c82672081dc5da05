/**
 * The feeder's bookkeeping: runs of records fed back to back while the swarm was full,
 * each with one shared promise, in a first-in first-out queue.
 * @module
 */

/**
 * A feed() promise that notes when someone awaits it (or calls then/catch/finally), so a
 * failure already thrown at an awaiting caller is not thrown again by `[Symbol.asyncDispose]`
 * (which would make JavaScript wrap both in a SuppressedError).
 */
export class FeedPromise extends Promise<void> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }
  observed = false;
  onObserved: (() => void) | null = null;

  override then<A = void, B = never>(
    onFulfilled?: ((value: void) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.observed = true;
    this.onObserved?.();
    return super.then(onFulfilled, onRejected);
  }
}

/** Records fed while the stream was full, in order, sharing one promise. */
export interface Run {
  records: unknown[];
  /** Index of the next record to write. */
  next: number;
  promise: FeedPromise;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A new, empty run with its pending promise. */
export function createRun(): Run {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new FeedPromise((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { records: [], next: 0, promise, resolve, reject };
}

/** A first-in first-out list of runs; Array#shift is O(n), which adds up over many runs. */
export class RunQueue {
  #runs: Array<Run | undefined> = [];
  #head = 0;

  get size(): number {
    return this.#runs.length - this.#head;
  }
  get first(): Run | undefined {
    return this.#runs[this.#head];
  }
  get last(): Run | undefined {
    return this.#runs[this.#runs.length - 1];
  }
  push(run: Run): void {
    this.#runs.push(run);
  }
  shift(): Run {
    const run = this.#runs[this.#head]!;
    this.#runs[this.#head++] = undefined;
    if (this.#head * 2 >= this.#runs.length) {
      this.#runs = this.#runs.slice(this.#head);
      this.#head = 0;
    }
    return run;
  }
  /** Empties the queue, returning what it held. */
  takeAll(): Run[] {
    const runs = this.#runs.slice(this.#head) as Run[];
    this.#runs = [];
    this.#head = 0;
    return runs;
  }
}
