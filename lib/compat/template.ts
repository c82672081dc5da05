/**
 * The original library's task description: what to run (`args`), where its output goes
 * (`FileChannel`), and which side channels it reads (`AnonChannel`). A TaskTemplate is only
 * a description; the {@link Coordinator} turns it into `createSwarm` options.
 * @module
 */
import { OptionsError } from '../errors.js';
import { validateChannelName, validateCommand, type SinkSpec } from '../options.js';

/** A side-channel pipe; see {@link AnonChannel}. */
export interface AnonChannel {
  /** Tells a side channel from a {@link FileChannel}. */
  readonly kind: 'anon';
}

/**
 * A side channel: an anonymous pipe the child gets on the next free fd (3, 4, … in `sidein`
 * key order), with an environment variable of the channel's name holding the fd number.
 * The child can also open it by path: `{name}` in `args` becomes `/dev/fd/N`.
 * @example
 * ```ts
 * TaskTemplate({ args: 'python3 child.py', sidein: { line_numbers: AnonChannel() } });
 * // child.py: open(int(os.environ["line_numbers"]))
 * ```
 */
export function AnonChannel(): AnonChannel {
  return Object.freeze({ kind: 'anon' as const });
}

/** A per-worker output file; see {@link FileChannel}. */
export interface FileChannel {
  /** Tells a file from an {@link AnonChannel}. */
  readonly kind: 'file';
  /** The path template; `{id}` is the worker index. */
  readonly path: string;
}

/**
 * A file per worker for a child's stdout or stderr: `{id}` in the path becomes the worker
 * index, so `FileChannel('{id}.out')` gives `0.out`, `1.out`, … The file is created
 * (truncated) when the worker starts; a relative path resolves against the parent's
 * current directory, not the template's `cwd`.
 * @example
 * ```ts
 * TaskTemplate({ args: 'python3 child.py', stdout: FileChannel('out/{id}.tsv'), stderr: FileChannel('out/{id}.log') });
 * ```
 */
export function FileChannel(path: string): FileChannel {
  return Object.freeze({ kind: 'file' as const, path });
}

/** What {@link TaskTemplate} takes. */
export interface TaskTemplateOptions {
  /**
   * The command: an argv array, or a string split like a shell would (no shell runs).
   * `{id}` and `{<sidein name>}` are substituted.
   */
  args: string | readonly string[];
  /**
   * Where stdout goes: a {@link FileChannel}, or `'inherit'` (default), `'ignore'`, a path
   * template, or `(workerId) => Writable`.
   */
  stdout?: FileChannel | SinkSpec;
  /** Where stderr goes; the same choices as `stdout`. */
  stderr?: FileChannel | SinkSpec;
  /** Side channels in fd order (3, 4, …): name → {@link AnonChannel}. Each needs a WriterSpec of the same name. */
  sidein?: Record<string, AnonChannel>;
  /** Environment variables, merged over `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The children's working directory. */
  cwd?: string;
}

/** A validated task description; made by the {@link TaskTemplate} function. */
export interface TaskTemplate {
  /** The argv every worker runs. */
  readonly command: readonly string[];
  /** The side channels' names, in fd order. */
  readonly sidein: readonly string[];
  /** The swarm's `stdout` option (a FileChannel becomes its path template). */
  readonly stdout: SinkSpec | undefined;
  /** The swarm's `stderr` option (a FileChannel becomes its path template). */
  readonly stderr: SinkSpec | undefined;
  /** Environment variables, merged over `process.env`. */
  readonly env: NodeJS.ProcessEnv | undefined;
  /** The children's working directory. */
  readonly cwd: string | undefined;
}

const TEMPLATE_OPTIONS = new Set(['args', 'stdout', 'stderr', 'sidein', 'env', 'cwd']);

/**
 * Describes the child every worker runs. `args`, `sidein` and `stdout: 'pipe'` are checked
 * here; `env`, `cwd` and the other stdout/stderr values are checked by `createSwarm` when a
 * Coordinator starts. Problems are OptionsError (ERR_SUBFEED_OPTIONS) naming the option.
 * @example
 * ```ts
 * const template = TaskTemplate({
 *   args: 'python3 child.py',
 *   stdout: FileChannel('{id}.out'),
 *   sidein: { line_numbers: AnonChannel() },
 * });
 * ```
 */
export function TaskTemplate(options: TaskTemplateOptions): TaskTemplate {
  if (typeof options !== 'object' || options === null) throw new OptionsError('', 'must be an object', options);
  for (const key of Object.keys(options)) {
    if (!TEMPLATE_OPTIONS.has(key)) {
      throw new OptionsError(key, 'is not a TaskTemplate option (args, stdout, stderr, sidein, env, cwd)', key);
    }
  }
  return Object.freeze({
    command: Object.freeze(validateCommand(options.args, 'args')),
    sidein: Object.freeze(validateSidein(options.sidein)),
    stdout: toSink('stdout', options.stdout),
    stderr: toSink('stderr', options.stderr),
    env: options.env,
    cwd: options.cwd,
  });
}

/** True when `value` has the shape {@link TaskTemplate} returns. */
export function isTaskTemplate(value: unknown): value is TaskTemplate {
  const candidate = value as Partial<TaskTemplate> | null;
  return Array.isArray(candidate?.command) && Array.isArray(candidate.sidein);
}

function validateSidein(sidein: unknown): string[] {
  if (sidein === undefined) return [];
  if (typeof sidein !== 'object' || sidein === null || Array.isArray(sidein)) {
    throw new OptionsError('sidein', 'must be an object mapping channel names to AnonChannel()', sidein);
  }
  for (const [name, channel] of Object.entries(sidein)) {
    if (name === 'stdin') {
      throw new OptionsError('sidein.stdin', 'must not be declared: stdin is implicit (give it a WriterSpec)', channel);
    }
    validateChannelName(name, `sidein.${name}`);
    if ((channel as Partial<AnonChannel> | null)?.kind !== 'anon') {
      throw new OptionsError(`sidein.${name}`, 'must be AnonChannel()', channel);
    }
  }
  return Object.keys(sidein);
}

/** Where the swarm sends stdout or stderr. A FileChannel is a path template. */
function toSink(name: 'stdout' | 'stderr', sink: unknown): SinkSpec | undefined {
  if (sink === 'pipe') {
    const problem = "cannot be 'pipe' in a TaskTemplate (a Coordinator has no readable side; use createSwarm)";
    throw new OptionsError(name, problem, sink);
  }
  const file = sink as Partial<FileChannel> | null;
  if (file?.kind !== 'file') return sink as SinkSpec | undefined;
  if (typeof file.path !== 'string' || file.path === '') {
    throw new OptionsError(name, 'must be FileChannel(path) with a non-empty path', file.path);
  }
  // A file literally named like a keyword must stay a file.
  return ['inherit', 'ignore', 'pipe'].includes(file.path) ? `./${file.path}` : file.path;
}
