/**
 * The swarm's readable side when stdout is 'pipe': every worker's stdout, cut at line ends
 * so lines from different workers never interleave mid-line.
 * @module
 */

const NEWLINE = 0x0a;

export class OutputLines {
  readonly #push: (chunk: Buffer) => boolean;
  /** Bytes after the last newline, per worker id. */
  readonly #partial = new Map<number, Buffer>();

  constructor(push: (chunk: Buffer) => boolean) {
    this.#push = push;
  }

  /** Adds a chunk of one worker's stdout; returns false when the reader wants a pause. */
  add(workerId: number, chunk: Buffer): boolean {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    const before = this.#partial.get(workerId);
    if (lastNewline < 0) {
      this.#partial.set(workerId, before ? Buffer.concat([before, chunk]) : chunk);
      return true;
    }
    const complete = chunk.subarray(0, lastNewline + 1);
    if (lastNewline + 1 < chunk.length) this.#partial.set(workerId, chunk.subarray(lastNewline + 1));
    else this.#partial.delete(workerId);
    return this.#push(before ? Buffer.concat([before, complete]) : complete);
  }

  /** Emits what is left after the last newline of each worker (output without a final newline). */
  end(): void {
    for (const rest of this.#partial.values()) this.#push(rest);
    this.#partial.clear();
  }
}
