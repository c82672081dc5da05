import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { lineBlocks } from '../lib/cli.js';

const cli = join(__dirname, '..', 'lib', 'cli.ts');

/** Runs the CLI source under tsx with `input` on stdin. */
function runCli(args: string[], input: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { input, encoding: 'utf8' });
}

describe('subfeed CLI', () => {
  test('feeds stdin lines to N children and prints their output', () => {
    const input = Array.from({ length: 5000 }, (_, n) => `${n}\n`).join('');
    const result = runCli(['-j', '3', '--', 'cat'], input);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map(Number).sort((a, b) => a - b);
    expect(lines).toEqual(Array.from({ length: 5000 }, (_, n) => n));
  });

  test('a bad option exits 2 with the coded message', () => {
    const result = runCli(['-j', '0', '--', 'cat'], '');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('ERR_SUBFEED_OPTIONS');
    expect(result.stderr).toContain('"options.count"');
  });

  test('a failing child exits 1 naming the worker', () => {
    const result = runCli(['-j', '1', '--', 'sh', '-c', 'cat >/dev/null; echo broken >&2; exit 5'], 'a\n');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ERR_SUBFEED_EXIT: Worker 0 exited with code 5');
  });

  test('lineBlocks cuts input only after newlines', async () => {
    const blocks: string[] = [];
    for await (const block of lineBlocks(Readable.from([Buffer.from('a\nb'), Buffer.from('c'), Buffer.from('d\ne\nf')]))) {
      blocks.push(block.toString());
    }
    expect(blocks).toEqual(['a\n', 'bcd\ne\n', 'f']);
  });
});
