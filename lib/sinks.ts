/**
 * Where a child's stdout or stderr goes. Files and inherited fds are handed straight to the
 * child (no copy through the parent); functions and the swarm's readable side get a pipe
 * the parent always consumes, so a chatty child can never block on output nobody reads.
 * @module
 */
import { closeSync, createWriteStream, fstatSync, openSync, readSync } from 'node:fs';
import type { Readable as NodeReadable } from 'node:stream';
import { resolve } from 'node:path';
import { substituteWorkerId } from './command.js';
import { closeQuietly } from './channel/pipes.js';
import type { SinkSpec } from './options.js';
import { finished } from './streams.js';

/** How much of stderr an ExitError quotes. */
export const TAIL_BYTES = 4096;

/** One worker's stdout or stderr destination. */
export interface Sink {
  /** What to pass in the child's stdio array. */
  readonly stdio: 'inherit' | 'ignore' | 'pipe' | number;
  /** Called right after spawn with the child's stream (null unless stdio is 'pipe'). */
  connect(output: NodeReadable | null): void;
  /** Resolves once everything the child wrote has reached its destination. */
  closed(): Promise<void>;
  /** The last ≤ 4 KiB the child wrote here, where subfeed can see it; '' otherwise. */
  tail(): string;
}

/** How a sink is opened: whether output must pass through the parent, and whether its tail is kept. */
export interface SinkUse {
  /** Force output through the parent (a readiness check reads stdout). */
  mustCapture: boolean;
  /** Keep the last ≤ 4 KiB for error messages (stderr only: nothing reads stdout's tail). */
  keepsTail: boolean;
}

/**
 * Opens a sink for one worker. File sinks are created (truncated) now, relative to the
 * parent's cwd. `'pipe'` is handled by the swarm itself, which reads `child.stdout`.
 */
export function openSink(spec: SinkSpec, workerId: number, use: SinkUse): Sink {
  const { mustCapture, keepsTail } = use;
  if (typeof spec === 'function') return new ForwardingSink(() => spec(workerId), true, keepsTail);
  if (spec === 'pipe') return new SwarmSink();
  if (spec === 'inherit') return mustCapture ? new ForwardingSink(() => process.stdout, false, keepsTail) : new FixedSink('inherit');
  if (spec === 'ignore') return mustCapture ? new ForwardingSink(null, false, keepsTail) : new FixedSink('ignore');
  const path = substituteWorkerId(spec, workerId);
  if (mustCapture) return new ForwardingSink(() => createWriteStream(path), true, keepsTail);
  return new FileSink(resolve(path));
}

/** 'inherit' or 'ignore': the kernel does the work. */
class FixedSink implements Sink {
  constructor(readonly stdio: 'inherit' | 'ignore') {}
  connect(): void {}
  closed(): Promise<void> {
    return Promise.resolve();
  }
  tail(): string {
    return '';
  }
}

/** A file the child writes to directly; our copy of the fd is closed right after spawn. */
class FileSink implements Sink {
  #fd: number;
  constructor(private readonly path: string) {
    this.#fd = openSync(path, 'w');
  }
  get stdio(): number {
    return this.#fd;
  }
  connect(): void {
    closeQuietly(this.#fd);
    this.#fd = -1;
  }
  closed(): Promise<void> {
    return Promise.resolve();
  }
  tail(): string {
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
}

/** Output read by the parent and forwarded to a Writable (or discarded when there is none). */
class ForwardingSink implements Sink {
  readonly stdio = 'pipe';
  #tail = '';
  #done: Promise<void> = Promise.resolve();
  constructor(
    private readonly makeTarget: (() => NodeJS.WritableStream) | null,
    private readonly endTarget: boolean,
    private readonly keepsTail: boolean,
  ) {}

  connect(output: NodeReadable | null): void {
    if (!output) return;
    if (this.keepsTail) output.on('data', (chunk: Buffer) => (this.#tail = keepTail(this.#tail, chunk)));
    const target = this.makeTarget?.();
    if (!target) {
      output.resume();
      this.#done = new Promise((resolve) => output.once('close', resolve));
      return;
    }
    output.pipe(target, { end: this.endTarget });
    this.#done = this.endTarget
      ? new Promise((resolve, reject) => finished(target as never, (error) => (error ? reject(error) : resolve())))
      : new Promise((resolve) => output.once('close', resolve));
  }
  closed(): Promise<void> {
    return this.#done;
  }
  tail(): string {
    return this.#tail;
  }
}

/** stdout: 'pipe' — the swarm reads child.stdout itself; closed once it has read all of it. */
class SwarmSink implements Sink {
  readonly stdio = 'pipe';
  #done: Promise<void> = Promise.resolve();
  connect(output: NodeReadable | null): void {
    // The child's 'exit' can come before the last of its stdout was read.
    if (output) this.#done = new Promise((resolve) => output.once('close', resolve));
  }
  closed(): Promise<void> {
    return this.#done;
  }
  tail(): string {
    return '';
  }
}

/** Appends a chunk to a rolling tail of at most TAIL_BYTES characters. */
export function keepTail(tail: string, chunk: Buffer): string {
  // Only the chunk's end can survive: decode no more than that (a flood sends MiB-sized chunks).
  const text = tail + chunk.subarray(-TAIL_BYTES).toString();
  return text.length > TAIL_BYTES ? text.slice(-TAIL_BYTES) : text;
}
