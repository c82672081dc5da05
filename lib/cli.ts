#!/usr/bin/env node
/**
 * `subfeed`: the command-line face of the swarm, a `parallel --pipe` for persistent
 * children. Reads stdin, cuts it into blocks of whole lines, and feeds each block to one of
 * N children's stdin; their stdout comes back on our stdout, whole lines at a time.
 *
 * ```sh
 * zcat big.tsv.gz | subfeed -j 4 -- awk -F'\t' '{ print $2 }' > column2.txt
 * ```
 * @module
 */
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { SubfeedError } from './errors.js';
import { createSwarm } from './swarm.js';
import type { SinkSpec } from './options.js';

const USAGE = `Usage: subfeed [options] -- command [args...]

Feeds stdin, in blocks of whole lines, to persistent children; their stdout is ours.

Options:
  -j, --jobs N             number of children (default: number of CPUs)
      --route POLICY       ready (default) or round-robin
      --stdout TARGET      pipe (default: our stdout), inherit, ignore, or a file template with {id}
      --stderr TARGET      inherit (default), ignore, or a file template with {id}
      --kill-timeout MS    ms between SIGTERM and SIGKILL on failure (default 5000)
  -h, --help               show this help`;

/** Yields stdin in blocks that end at a newline (the last block may not). */
export async function* lineBlocks(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer | null = null;
  for await (const chunk of input) {
    const end = chunk.lastIndexOf(0x0a);
    if (end < 0) {
      rest = rest ? Buffer.concat([rest, chunk]) : chunk;
      continue;
    }
    yield rest ? Buffer.concat([rest, chunk.subarray(0, end + 1)]) : chunk.subarray(0, end + 1);
    rest = end + 1 < chunk.length ? chunk.subarray(end + 1) : null;
  }
  if (rest) yield rest;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      jobs: { type: 'string', short: 'j' },
      route: { type: 'string' },
      stdout: { type: 'string' },
      stderr: { type: 'string' },
      'kill-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const swarm = createSwarm<Buffer>({
    command: positionals,
    count: values.jobs === undefined ? undefined : Number(values.jobs),
    route: values.route as 'ready' | 'round-robin' | undefined,
    stdout: (values.stdout ?? 'pipe') as SinkSpec,
    stderr: values.stderr as SinkSpec | undefined,
    killTimeout: values['kill-timeout'] === undefined ? undefined : Number(values['kill-timeout']),
  });
  if (swarm.readable) await pipeline(lineBlocks(process.stdin), swarm, process.stdout);
  else await pipeline(lineBlocks(process.stdin), swarm);
  return 0;
}

if (typeof require !== 'undefined' && require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`subfeed: ${error instanceof SubfeedError ? `${error.code}: ` : ''}${(error as Error).message}\n`);
      process.exitCode = error instanceof SubfeedError && error.code === 'ERR_SUBFEED_OPTIONS' ? 2 : 1;
    },
  );
}
