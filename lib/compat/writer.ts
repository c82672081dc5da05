/**
 * The original library's writers: a `Writer` subclass turns the value of one `feed()` call
 * into the bytes of one channel, and a `WriterSpec` says which class (and constructor
 * arguments) serves a channel. Each worker gets its own instance per channel, made the
 * first time that worker formats a record, so a writer may keep per-worker state.
 * @module
 */
import type { Formatter } from '../options.js';

/**
 * Formats the batches fed to a {@link Coordinator} for one channel. Subclass it and
 * override {@link Writer.filter}; give the class to {@link WriterSpec}.
 *
 * Every worker gets its own instance per channel, so fields are per-worker state: a
 * counter counts that worker's records, a header written on the first call is written once
 * per child.
 * @typeParam T - the type of the batches passed to `Coordinator.feed()`.
 * @example
 * ```ts
 * class LineNumbersWriter extends Writer<[number, bigint]> {
 *   override filter(batch: [number, bigint]) {
 *     return `${batch[0]}\n`;
 *   }
 * }
 * ```
 */
export abstract class Writer<T = unknown> {
  /**
   * Turns one batch (the value of one `feed()` call) into this channel's bytes for it.
   * Return a string (written as UTF-8), a Uint8Array (a Buffer, like Python's
   * `.encode()`), or null/undefined to send nothing on this channel for this batch.
   * Throwing, or returning anything else, fails the swarm with ERR_SUBFEED_FORMAT naming
   * the channel.
   */
  abstract filter(batch: T): string | Uint8Array | null | undefined;
}

/** A concrete {@link Writer} class whose constructor takes `Args`. */
export type WriterClass<T, Args extends unknown[] = unknown[]> = new (...args: Args) => Writer<T>;

/**
 * Which {@link Writer} class serves a channel, and the arguments each worker's instance is
 * constructed with. Made by the {@link WriterSpec} function.
 */
export interface WriterSpec<T = unknown> {
  /** The {@link Writer} subclass each worker instantiates for the channel. */
  readonly writerClass: WriterClass<T, never[]>;
  /** The arguments its constructor gets. */
  readonly args: readonly unknown[];
}

/**
 * Names the Writer class for a channel, and the arguments its constructor gets. Each worker
 * calls `new writerClass(...args)` once per channel, the first time it gets a record.
 * @example
 * ```ts
 * class PrefixWriter extends Writer<string> {
 *   constructor(private readonly prefix: string) { super(); }
 *   override filter(batch: string) { return `${this.prefix}${batch}\n`; }
 * }
 * const specs = { stdin: WriterSpec(PrefixWriter, '> ') };
 * ```
 */
export function WriterSpec<T, Args extends unknown[]>(writerClass: WriterClass<T, Args>, ...args: Args): WriterSpec<T> {
  return Object.freeze({ writerClass: writerClass as unknown as WriterClass<T, never[]>, args: Object.freeze(args) });
}

/** True when `value` has the shape {@link WriterSpec} returns, with a class that can filter. */
export function isWriterSpec(value: unknown): value is WriterSpec<unknown> {
  const candidate = value as Partial<WriterSpec<unknown>> | null;
  return (
    typeof candidate?.writerClass === 'function' &&
    typeof candidate.writerClass.prototype?.filter === 'function' &&
    Array.isArray(candidate.args)
  );
}

/**
 * The channel formatter for a WriterSpec: builds each worker's Writer lazily, on the first
 * record that worker formats, so a worker that never gets a record never constructs one. A
 * constructor that throws is reported like a filter that throws (ERR_SUBFEED_FORMAT).
 */
export function writerFormatter<T>(spec: WriterSpec<T>): Formatter<T> {
  const writers: Array<Writer<T> | undefined> = [];
  const Class = spec.writerClass as unknown as new (...args: readonly unknown[]) => Writer<T>;
  return (batch, workerId) => {
    const writer = (writers[workerId] ??= new Class(...spec.args));
    return writer.filter(batch);
  };
}
