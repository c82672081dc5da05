/**
 * Every error subfeed throws or emits is a {@link SubfeedError} with a stable `code`.
 * Match on `code` (or `instanceof SubfeedError`); the subclasses are a convenience.
 * Node's own errors (EPIPE, ENOENT, ABORT_ERR) are kept as `cause`, never thrown bare.
 * @module
 */

/** The stable codes, one per kind of failure. */
export type SubfeedErrorCode =
  | 'ERR_SUBFEED_OPTIONS'
  | 'ERR_SUBFEED_SPAWN'
  | 'ERR_SUBFEED_EXIT'
  | 'ERR_SUBFEED_CLOSED'
  | 'ERR_SUBFEED_FORMAT'
  | 'ERR_SUBFEED_STALL'
  | 'ERR_SUBFEED_ABORTED';

/** Base class of all subfeed errors. */
export class SubfeedError extends Error {
  /** Stable machine-readable code. */
  readonly code: SubfeedErrorCode;

  constructor(code: SubfeedErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The class name, e.g. `"ExitError"`, so stack traces and logs say which kind of failure. */
  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * An option is invalid. Thrown by `createSwarm` (or the compat layer) before any child starts.
 * @example
 * ```ts
 * try { createSwarm({ command: 'cat', count: 0 }); }
 * catch (error) { error.code === 'ERR_SUBFEED_OPTIONS'; error.option === 'count'; }
 * ```
 */
export class OptionsError extends SubfeedError {
  /** Path of the offending option, e.g. `channels.nums`. */
  readonly option: string;

  constructor(option: string, expected: string, received: unknown) {
    super('ERR_SUBFEED_OPTIONS', `The "options.${option}" property ${expected}. Received ${describeValue(received)}`);
    this.option = option;
  }
}

/** A child could not be started (ENOENT, EACCES, …). */
export class SpawnError extends SubfeedError {
  /** The worker whose child could not start. */
  readonly workerId: number;
  /** The argv it tried to run, placeholders substituted. */
  readonly command: readonly string[];

  constructor(workerId: number, command: readonly string[], cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
    super('ERR_SUBFEED_SPAWN', `Worker ${workerId} could not start ${JSON.stringify(command[0])}: ${reason}`, { cause });
    this.workerId = workerId;
    this.command = command;
  }

  /**
   * The channel pipes could not be made (EMFILE: too many open files, or no /proc), so no
   * worker could start: `workerId` is -1.
   */
  static forPipes(command: readonly string[], cause: unknown): SpawnError {
    const error = new SpawnError(-1, command, cause);
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
    error.message = `Could not create the channel pipes to start ${JSON.stringify(command[0])}: ${reason}`;
    return error;
  }
}

/** A child exited with a non-zero code or was killed by a signal. */
export class ExitError extends SubfeedError {
  /** The worker whose child failed. */
  readonly workerId: number;
  /** The child's exit code; null when a signal killed it. */
  readonly exitCode: number | null;
  /** The signal that killed the child; null when it exited by itself. */
  readonly signal: NodeJS.Signals | null;
  /** The last ≤ 4 KiB of the worker's stderr that subfeed saw (`''` when not captured). */
  readonly stderrTail: string;

  constructor(workerId: number, exitCode: number | null, signal: NodeJS.Signals | null, stderrTail: string) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    const tail = stderrTail ? `\n--- stderr (last lines) ---\n${stderrTail.trimEnd()}` : '';
    super('ERR_SUBFEED_EXIT', `Worker ${workerId} ${how}${tail}`);
    this.workerId = workerId;
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }
}

/** A live child closed a channel, or exited 0, while records for it were still pending. */
export class ClosedError extends SubfeedError {
  /** The worker whose child closed the channel or exited. */
  readonly workerId: number;
  /** The channel that still had records pending. */
  readonly channel: string;
  /** Records routed to the worker whose bytes for `channel` had not reached the pipe. */
  readonly pendingRecords: number;

  constructor(workerId: number, channel: string, pendingRecords: number, how: string, cause?: unknown) {
    super(
      'ERR_SUBFEED_CLOSED',
      `Worker ${workerId} ${how} while ${pendingRecords} record(s) for channel "${channel}" were pending`,
      { cause },
    );
    this.workerId = workerId;
    this.channel = channel;
    this.pendingRecords = pendingRecords;
  }

  /**
   * A record offered after the swarm was closed (`Coordinator.feed()` after `close()`): no
   * worker is at fault, so `workerId` is -1 and `channel` is `''`; `pendingRecords` is 1.
   */
  static afterClose(why: string): ClosedError {
    const error = new ClosedError(-1, '', 1, '');
    error.message = `The swarm is closed (${why}); the record was not sent`;
    return error;
  }
}

/** A formatter threw, or returned something that is not a string, bytes, null or undefined. */
export class FormatError extends SubfeedError {
  /** The channel whose formatter failed (`route.key` for the key function). */
  readonly channel: string;
  /** Zero-based index of the record in the swarm's input. */
  readonly recordIndex: number;

  constructor(channel: string, recordIndex: number, problem: string, cause?: unknown) {
    super('ERR_SUBFEED_FORMAT', `The formatter of channel "${channel}" ${problem} for record ${recordIndex}`, { cause });
    this.channel = channel;
    this.recordIndex = recordIndex;
  }
}

/** A worker made no progress while one channel was full and another was starved. */
export class StallError extends SubfeedError {
  /** The worker that made no progress. */
  readonly workerId: number;
  /** The channel whose buffer was full (the child stopped reading it). */
  readonly fullChannel: string;
  /** The channel with nothing left to send (the child seems to wait on it). */
  readonly emptyChannel: string;

  constructor(workerId: number, fullChannel: string, emptyChannel: string, stallTimeout: number) {
    super(
      'ERR_SUBFEED_STALL',
      `Worker ${workerId} made no progress for ${stallTimeout} ms: channel "${fullChannel}" is full while ` +
        `channel "${emptyChannel}" has nothing left to send; the child seems to wait on "${emptyChannel}" ` +
        `without reading "${fullChannel}". Read channels in step, or raise highWaterMark.`,
    );
    this.workerId = workerId;
    this.fullChannel = fullChannel;
    this.emptyChannel = emptyChannel;
  }
}

/** The `signal` option aborted the swarm. */
export class AbortedError extends SubfeedError {
  constructor(cause: unknown) {
    super('ERR_SUBFEED_ABORTED', 'The swarm was aborted', { cause });
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '<anonymous>'}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object' && value !== null) return `an instance of ${value.constructor?.name ?? 'Object'}`;
  return `type ${typeof value} (${String(value)})`;
}
