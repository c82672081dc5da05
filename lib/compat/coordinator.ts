/**
 * The original library's Coordinator, as a thin layer over `createSwarm`: the TaskTemplate
 * and WriterSpecs become swarm options, `feed()` is a write that waits for room, `close()`
 * is `end()` plus waiting for the swarm to close, and disposal is `close()`.
 * @module
 */
import './dispose.js'; // before the class below reads Symbol.asyncDispose
import { AbortedError, OptionsError } from '../errors.js';
import type { Formatter, ReadyCheck, RouteSpec, SwarmOptions } from '../options.js';
import { createSwarm, type Swarm } from '../swarm.js';
import type { WorkerInfo } from '../worker.js';
import { Feeder } from './feeder.js';
import { isTaskTemplate, type TaskTemplate } from './template.js';
import { isWriterSpec, writerFormatter, type WriterSpec } from './writer.js';

/** Options of a {@link Coordinator}: `count`, `writerSpecs`, and a few swarm options passed through as they are. */
export interface CoordinatorOptions<T> {
  /** Number of workers. Default: `os.availableParallelism()`. */
  count?: number;
  /** Channel name (`stdin` or a `sidein` name) → {@link WriterSpec}. Without `stdin`, the child's stdin is /dev/null. */
  writerSpecs: Record<string, WriterSpec<T>>;
  /** How batches are spread over workers; see `createSwarm`. A `key` function gets the batch. */
  route?: RouteSpec<T>;
  /** Bytes buffered per channel per worker before backpressure. Default 64 KiB. */
  highWaterMark?: number;
  /** Aborting stops every child; pending and later feeds and close() reject with ERR_SUBFEED_ABORTED. */
  signal?: AbortSignal;
  /** ms between SIGTERM and SIGKILL when stopping children. Default 5000. */
  killTimeout?: number;
  /** See `createSwarm`. Default 60000. */
  stallTimeout?: number;
  /** When a started worker may take batches, e.g. `{ stdoutLine: 'READY' }`; see `createSwarm`. */
  ready?: ReadyCheck;
}

const PASSED_THROUGH = new Set(['count', 'route', 'highWaterMark', 'signal', 'killTimeout', 'stallTimeout', 'ready']);

/** Object-mode streams refuse null; a batch that is null travels as this and is handed back as null. */
const NULL_BATCH = Symbol('subfeed.nullBatch');
const toRecord = (batch: unknown): unknown => (batch === null ? NULL_BATCH : batch);
const fromRecord = <T>(record: unknown): T => (record === NULL_BATCH ? null : record) as T;

/**
 * Feeds batches to `count` persistent children described by a {@link TaskTemplate}; each
 * channel's bytes come from a {@link Writer} per worker. Close it with `close()`, with
 * `await using`, or let {@link Coordinator.run} do it.
 * @typeParam T - the type of the batches passed to `feed()`.
 * @example
 * ```ts
 * await using swarm = new Coordinator(template, { count: 2, writerSpecs: specs });
 * for (const batch of batches) await swarm.feed(batch);
 * // leaving the block drains every channel, ends the children and waits for them
 * ```
 */
export class Coordinator<T = unknown> implements AsyncDisposable {
  readonly #swarm: Swarm<unknown>;
  readonly #feeder: Feeder;
  #closing: Promise<void> | null = null;
  #closedByCaller = false;

  /** Validates everything and starts the children. Throws OptionsError (ERR_SUBFEED_OPTIONS) naming the option at fault. */
  constructor(template: TaskTemplate, options: CoordinatorOptions<T>) {
    this.#swarm = createSwarm<unknown>(toSwarmOptions(template, options));
    this.#feeder = new Feeder(this.#swarm);
  }

  /**
   * Runs `body` with a new Coordinator, then closes it: the `with` statement of the
   * original. If `body` throws, the children are stopped at once (SIGTERM, then SIGKILL
   * after `killTimeout`) and its error is rethrown; otherwise `close()`'s outcome is
   * returned, with `body`'s result.
   * @example
   * ```ts
   * await Coordinator.run(template, { count: 2, writerSpecs: specs }, async (swarm) => {
   *   for (const batch of batches) await swarm.feed(batch);
   * });
   * ```
   */
  static async run<T, R>(
    template: TaskTemplate,
    options: CoordinatorOptions<T>,
    body: (coordinator: Coordinator<T>) => R | Promise<R>,
  ): Promise<R> {
    const coordinator = new Coordinator<T>(template, options);
    let result: R;
    try {
      result = await body(coordinator);
    } catch (error) {
      await coordinator.#feeder.destroy(new AbortedError(error));
      throw error;
    }
    await coordinator.close();
    return result;
  }

  /** Live view of every worker: id, pid, state, records, bytes per channel, exit status. */
  get workers(): readonly WorkerInfo[] {
    return this.#swarm.workers;
  }

  /**
   * Sends one batch to one worker: every channel's Writer formats it. Resolves once the
   * swarm took the batch and has room for more; awaiting it is the backpressure. Calls that
   * are not awaited are safe too (nothing is lost or reordered; the batches wait in memory
   * until the swarm has room). Rejects with the swarm's SubfeedError once a child failed,
   * and with ERR_SUBFEED_CLOSED after `close()`.
   */
  feed(batch: T): Promise<void> {
    return this.#feeder.feed(toRecord(batch));
  }

  /**
   * Sends every batch fed so far, ends every channel, and waits until every child exited
   * and every output file is written. Rejects with the swarm's SubfeedError if a child
   * failed (ERR_SUBFEED_EXIT, ERR_SUBFEED_SPAWN, …). Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.#closedByCaller = true;
    return this.#close();
  }

  /**
   * `close()`, for `await using`. It does not throw an error that `close()` or an awaited
   * `feed()` already threw: JavaScript would wrap the two in a SuppressedError.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.#close();
    } catch (error) {
      if (!this.#closedByCaller && !this.#feeder.failureReported) throw error;
    }
  }

  #close(): Promise<void> {
    return (this.#closing ??= this.#feeder.end());
  }
}

/** The createSwarm options for a template and Coordinator options. */
function toSwarmOptions<T>(template: TaskTemplate, options: CoordinatorOptions<T>): SwarmOptions<unknown> {
  if (!isTaskTemplate(template)) throw new OptionsError('template', 'must be made by TaskTemplate({ args, … })', template);
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError('', 'must be an object with writerSpecs', options);
  }
  const { writerSpecs, ...passedThrough } = options;
  for (const key of Object.keys(passedThrough)) {
    if (!PASSED_THROUGH.has(key)) {
      throw new OptionsError(key, `is not a Coordinator option (writerSpecs, ${[...PASSED_THROUGH].join(', ')})`, key);
    }
  }
  return {
    ...(passedThrough as Omit<SwarmOptions<unknown>, 'command'>),
    route: routeOverRecords(options.route),
    command: template.command,
    channels: channelsFor(template, writerSpecs),
    stdout: template.stdout,
    stderr: template.stderr,
    env: template.env,
    cwd: template.cwd,
  };
}

/** One formatter per channel: stdin first, then the side channels in `sidein` order (fd 3, 4, …). */
function channelsFor<T>(template: TaskTemplate, writerSpecs: unknown): Record<string, Formatter<unknown>> {
  if (typeof writerSpecs !== 'object' || writerSpecs === null || Array.isArray(writerSpecs)) {
    const expected = 'must be an object mapping channel names to WriterSpec(WriterClass, ...args)';
    throw new OptionsError('writerSpecs', expected, writerSpecs);
  }
  const declared = ['stdin', ...template.sidein];
  for (const [name, spec] of Object.entries(writerSpecs)) {
    if (!declared.includes(name)) {
      const problem = `names a channel the TaskTemplate does not declare (it has ${declared.join(', ')})`;
      throw new OptionsError(`writerSpecs.${name}`, problem, spec);
    }
    if (!isWriterSpec(spec)) {
      throw new OptionsError(`writerSpecs.${name}`, 'must be WriterSpec(WriterClass, ...args) of a Writer subclass', spec);
    }
  }
  for (const name of template.sidein) {
    if (!Object.hasOwn(writerSpecs, name)) {
      throw new OptionsError(`sidein.${name}`, `has no WriterSpec (add writerSpecs.${name})`, undefined);
    }
  }
  if (!Object.hasOwn(writerSpecs, 'stdin') && template.sidein.length === 0) {
    throw new OptionsError('writerSpecs', 'must give a WriterSpec to stdin or to a sidein channel', writerSpecs);
  }
  const specs = writerSpecs as Record<string, WriterSpec<T>>;
  const names = declared.filter((name) => Object.hasOwn(specs, name));
  return Object.fromEntries(names.map((name) => [name, formatterOverRecords(writerFormatter(specs[name]))]));
}

function formatterOverRecords<T>(format: Formatter<T>): Formatter<unknown> {
  return (record, workerId) => format(fromRecord<T>(record), workerId);
}

function routeOverRecords<T>(route: RouteSpec<T> | undefined): RouteSpec<unknown> | undefined {
  const key = (route as { key?: unknown } | undefined)?.key;
  if (typeof key !== 'function') return route as RouteSpec<unknown> | undefined;
  return { key: (record) => (key as (batch: T) => string | number)(fromRecord<T>(record)) };
}
