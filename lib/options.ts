/**
 * The options of `createSwarm`, validated once at the edge and turned into a plan the rest
 * of the code trusts. Every problem is an OptionsError naming the option path.
 * @module
 */
import { availableParallelism } from 'node:os';
import { splitCommand } from './command.js';
import { OptionsError } from './errors.js';

/**
 * Turns one record into the bytes for one channel. Return a string (UTF-8), a Uint8Array,
 * or null/undefined for "nothing on this channel for this record".
 */
export type Formatter<T> = (record: T, workerId: number) => string | Uint8Array | null | undefined;

/** A channel given as an object; `format` is the only field for now. */
export interface ChannelSpec<T> {
  /** Turns a record into this channel's bytes. */
  format: Formatter<T>;
}

/** Where a child's stdout or stderr goes. A string other than the keywords is a file path template with `{id}`. */
export type SinkSpec = 'inherit' | 'ignore' | 'pipe' | (string & {}) | ((workerId: number) => NodeJS.WritableStream);

/** How records are spread over workers. */
export type RouteSpec<T> =
  | 'ready'
  | 'round-robin'
  | {
      /** Records with equal keys go to the same worker (integers: `key % count`; others hashed). */
      key: (record: T) => string | number;
    };

/** What a readiness check gets: the worker's id and pid. */
export interface ReadyContext {
  /** The worker's index. */
  workerId: number;
  /** The child's process id. */
  pid: number;
}

/**
 * When a spawned worker may take records: a line on its stdout matching `stdoutLine`, or a
 * function that resolves (or rejects to fail the swarm). Without it a worker is ready once
 * its child has spawned.
 */
export type ReadyCheck =
  | {
      /** A string matches a whole stdout line; a RegExp is tested against each line. */
      stdoutLine: string | RegExp;
    }
  | ((context: ReadyContext) => unknown);

/** Options of {@link createSwarm}; DESIGN.md section 2 is the contract. */
export interface SwarmOptions<T> {
  /** argv array, or a string split like a shell would (no shell runs). `{id}` and `{<channel>}` are substituted. */
  command: string | readonly string[];
  /** Number of workers. Default: `os.availableParallelism()`. */
  count?: number;
  /** Ordered map name → formatter. `stdin` is fd 0; other names get fd 3, 4, … in order. Default: `{ stdin: record => record }`. */
  channels?: Record<string, Formatter<T> | ChannelSpec<T>>;
  /** Default `'inherit'`. `'pipe'` makes the swarm readable: whole lines of every worker's stdout. */
  stdout?: SinkSpec;
  /** Default `'inherit'`. `'pipe'` is not allowed here. */
  stderr?: SinkSpec;
  /** Default `'ready'`: the least-loaded ready worker. */
  route?: RouteSpec<T>;
  /** Merged over `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The children's working directory (file sinks still resolve against the parent's). */
  cwd?: string;
  /** Bytes buffered per channel per worker before backpressure. Default 64 KiB. */
  highWaterMark?: number;
  /** Aborting destroys the swarm with ERR_SUBFEED_ABORTED. */
  signal?: AbortSignal;
  /** ms between SIGTERM and SIGKILL when stopping children. Default 5000. */
  killTimeout?: number;
  /** ms without progress, with one channel full and another starved, before ERR_SUBFEED_STALL. 0 turns the check off. Default 60000. */
  stallTimeout?: number;
  /** Optional readiness check; see {@link ReadyCheck}. */
  ready?: ReadyCheck;
}

/** A validated channel. */
export interface ChannelPlan<T> {
  name: string;
  /** Child fd: 0 for stdin, 3+ for side channels. */
  fd: number;
  format: Formatter<T>;
}

/** Options after validation, with defaults filled in. */
export interface SwarmPlan<T> {
  command: string[];
  count: number;
  channels: ChannelPlan<T>[];
  stdout: SinkSpec;
  stderr: SinkSpec;
  route: RouteSpec<T>;
  env: NodeJS.ProcessEnv;
  cwd: string | undefined;
  highWaterMark: number;
  signal: AbortSignal | undefined;
  killTimeout: number;
  stallTimeout: number;
  ready: ReadyCheck | undefined;
}

const CHANNEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_NAMES = new Set(['id', 'SUBFEED_WORKER_ID']);
const KNOWN_OPTIONS = new Set([
  'command', 'count', 'channels', 'stdout', 'stderr', 'route', 'env', 'cwd',
  'highWaterMark', 'signal', 'killTimeout', 'stallTimeout', 'ready',
]);

const passThrough = <T>(record: T) => record as unknown as string | Uint8Array;

/** Validates every option; throws OptionsError naming the first bad one. */
export function validateOptions<T>(options: SwarmOptions<T>): SwarmPlan<T> {
  if (typeof options !== 'object' || options === null) throw new OptionsError('', 'must be an object', options);
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new OptionsError(key, 'is not a known option', key);
  }
  return {
    command: validateCommand(options.command),
    count: optionalInteger(options, 'count', 1, availableParallelism()),
    channels: validateChannels(options.channels ?? { stdin: passThrough }),
    stdout: validateSink('stdout', options.stdout),
    stderr: validateSink('stderr', options.stderr),
    route: validateRoute(options.route),
    env: validateEnv(options.env),
    cwd: validateCwd(options.cwd),
    highWaterMark: optionalInteger(options, 'highWaterMark', 1, 64 * 1024),
    signal: validateSignal(options.signal),
    killTimeout: optionalInteger(options, 'killTimeout', 0, 5000),
    stallTimeout: optionalInteger(options, 'stallTimeout', 0, 60_000),
    ready: validateReady(options.ready),
  };
}

/**
 * Checks a command line (a string split like `sh` would, or an argv array) and returns a
 * fresh argv. `option` names it in errors (`command`, or `args` in the compat layer).
 */
export function validateCommand(command: unknown, option = 'command'): string[] {
  let argv: unknown[];
  if (typeof command === 'string') {
    try {
      argv = splitCommand(command);
    } catch (error) {
      throw new OptionsError(option, `must be a valid command line, but it ${(error as Error).message}`, command);
    }
  } else if (Array.isArray(command)) {
    argv = [...command];
  } else {
    throw new OptionsError(option, 'must be a string or an array of strings', command);
  }
  if (argv.length === 0 || argv[0] === '') throw new OptionsError(option, 'must name a program', command);
  argv.forEach((argument, index) => {
    if (typeof argument !== 'string') throw new OptionsError(`${option}[${index}]`, 'must be a string', argument);
  });
  return argv as string[];
}

function optionalInteger<T>(options: SwarmOptions<T>, name: keyof SwarmOptions<T>, min: number, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new OptionsError(name, `must be an integer >= ${min}`, value);
  }
  return value;
}

function validateChannels<T>(channels: unknown): ChannelPlan<T>[] {
  if (typeof channels !== 'object' || channels === null || Array.isArray(channels)) {
    throw new OptionsError('channels', 'must be an object mapping channel names to formatters', channels);
  }
  const plans: ChannelPlan<T>[] = [];
  let nextFd = 3;
  for (const [name, spec] of Object.entries(channels)) {
    validateChannelName(name, `channels.${name}`);
    const format = typeof spec === 'function' ? spec : (spec as ChannelSpec<T> | null)?.format;
    if (typeof format !== 'function') {
      throw new OptionsError(`channels.${name}`, 'must be a formatter function or { format: function }', spec);
    }
    plans.push({ name, fd: name === 'stdin' ? 0 : nextFd++, format: format as Formatter<T> });
  }
  if (plans.length === 0) throw new OptionsError('channels', 'must declare at least one channel', channels);
  return plans;
}

/**
 * Checks a channel name: it becomes an environment variable and a `{placeholder}`, so it
 * must look like an identifier and must not be `id` or `SUBFEED_WORKER_ID`. `option` is the
 * path errors name (`channels.x`, or `sidein.x` in the compat layer).
 */
export function validateChannelName(name: string, option: string): void {
  if (!CHANNEL_NAME.test(name)) throw new OptionsError(option, `must have a name matching ${CHANNEL_NAME}`, name);
  if (RESERVED_NAMES.has(name)) throw new OptionsError(option, 'uses a reserved name (id, SUBFEED_WORKER_ID)', name);
}

function validateSink(name: 'stdout' | 'stderr', sink: unknown): SinkSpec {
  if (sink === undefined) return 'inherit';
  if (typeof sink === 'function') return sink as SinkSpec;
  if (sink === 'pipe' && name === 'stderr') {
    throw new OptionsError(name, "cannot be 'pipe' (only stdout feeds the swarm's readable side)", sink);
  }
  if (typeof sink === 'string' && sink !== '') return sink;
  throw new OptionsError(name, "must be 'inherit', 'ignore', 'pipe', a file path template or a function", sink);
}

function validateRoute<T>(route: unknown): RouteSpec<T> {
  if (route === undefined) return 'ready';
  if (route === 'ready' || route === 'round-robin') return route;
  if (typeof route === 'object' && route !== null && typeof (route as { key?: unknown }).key === 'function') {
    return route as RouteSpec<T>;
  }
  throw new OptionsError('route', "must be 'ready', 'round-robin' or { key: function }", route);
}

function validateEnv(env: unknown): NodeJS.ProcessEnv {
  if (env === undefined) return {};
  if (typeof env !== 'object' || env === null || Array.isArray(env)) throw new OptionsError('env', 'must be an object', env);
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && typeof value !== 'string') throw new OptionsError(`env.${key}`, 'must be a string', value);
  }
  return env as NodeJS.ProcessEnv;
}

function validateCwd(cwd: unknown): string | undefined {
  if (cwd === undefined || (typeof cwd === 'string' && cwd !== '')) return cwd;
  throw new OptionsError('cwd', 'must be a non-empty string', cwd);
}

function validateSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  const candidate = signal as AbortSignal | null;
  if (typeof candidate?.aborted === 'boolean' && typeof candidate.addEventListener === 'function') return candidate;
  throw new OptionsError('signal', 'must be an AbortSignal', signal);
}

function validateReady(ready: unknown): ReadyCheck | undefined {
  if (ready === undefined || typeof ready === 'function') return ready as ReadyCheck | undefined;
  const line = (ready as { stdoutLine?: unknown } | null)?.stdoutLine;
  if (typeof line === 'string' || line instanceof RegExp) return ready as ReadyCheck;
  throw new OptionsError('ready', 'must be a function or { stdoutLine: string | RegExp }', ready);
}
