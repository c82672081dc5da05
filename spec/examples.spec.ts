import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main as fibonacci, pickChild } from '../examples/fibonacci/main.js';
import { main as gzipTsv } from '../examples/gzip-tsv/main.js';
import { main as lazyStart } from '../examples/lazy-start/main.js';
import { tempDir } from './helpers/records.js';
import { countOpenFds, liveChildPids, settledFdCount } from './helpers/teardown.js';

const run = promisify(execFile);
const repository = join(__dirname, '..');

/** fib(1)..fib(100) as the seed numbers them: line n holds fib(n - 1). */
function fibonacciLines(): Array<[bigint, bigint]> {
  const fibs = [0n, 1n];
  while (fibs.length < 100) fibs.push(fibs[fibs.length - 2] + fibs[fibs.length - 1]);
  return fibs.map((fib, index) => [BigInt(index + 1), fib]);
}

/** What the example printed with console.log, as lines. */
function printedLines(log: jest.SpyInstance): string[] {
  return log.mock.calls.map((call) => call.join(' '));
}

let fdsBefore: number;
let log: jest.SpyInstance;
beforeEach(() => {
  fdsBefore = countOpenFds();
  log = jest.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(async () => {
  log.mockRestore();
  expect(liveChildPids()).toEqual([]);
  expect(await settledFdCount(fdsBefore)).toBeLessThanOrEqual(fdsBefore);
});

describe('examples/fibonacci: the seed example, ported', () => {
  test.each([
    ['child.py, the seed’s own child, under python3', ['python3', 'child.py']],
    ['child.mjs, the same child in Node', [process.execPath, 'child.mjs']],
  ])('with %s, all 100 lines come back right from 0.out and 1.out', async (_case, child) => {
    const recovered = await fibonacci(tempDir(), child);
    expect(recovered.sort((a, b) => Number(a[0] - b[0]))).toEqual(fibonacciLines());
    expect(recovered.find(([lineNumber]) => lineNumber === 100n)?.[1]).toBe(218922995834555169026n);
    expect(printedLines(log)[0]).toBe(`child: ${child[0] === 'python3' ? 'python3' : 'node'} ${child[1]}`);
  });

  test('picks python3 when it runs, and the Node child when it does not', () => {
    expect(pickChild('python3')).toEqual(['python3', 'child.py']);
    expect(pickChild('no-such-python-for-subfeed')).toEqual([process.execPath, 'child.mjs']);
  });

  test('`npm run example` runs it and reports the checked lines', async () => {
    const dir = tempDir();
    const { stdout } = await run('npm', ['run', '--silent', 'example', '--', dir], { cwd: repository });
    expect(stdout).toBe(`child: python3 child.py\n100 lines checked in ${join(dir, '0.out')} and 1.out\n`);
  });
});

describe('examples/gzip-tsv: the stream API over awk workers', () => {
  test('the sums of the awk workers add up to a direct sum, and every worker took rows', async () => {
    const summary = await gzipTsv(20_000, 3);
    expect(summary.totals).toEqual(summary.expected);
    expect(Object.values(summary.totals).reduce((sum, city) => sum + city.rows, 0)).toBe(20_000);
    expect(summary.rowsPerWorker).toHaveLength(3);
    expect(summary.rowsPerWorker.reduce((sum, rows) => sum + rows, 0)).toBe(20_000);
    expect(summary.rowsPerWorker.every((rows) => rows > 0)).toBe(true);
    expect(printedLines(log)).toContain('totals match a direct sum: yes');
  });
});

describe('examples/lazy-start: a slow-loading worker joins late', () => {
  test('the fast workers take the first records; the slow one only records after it is ready', async () => {
    const workers = await lazyStart([1000, 100, 100], 400, 5);
    const [slow, ...fast] = workers;
    expect(workers.reduce((sum, worker) => sum + worker.records, 0)).toBe(400);
    expect(fast.map((worker) => worker.firstRecord)).toContain(0);
    expect(slow.readyAfterMs).toBeGreaterThan(Math.min(...fast.map((worker) => worker.readyAfterMs)));
    expect(slow.firstRecord === undefined || slow.firstRecord > 0).toBe(true);
    const first = slow.firstRecord === undefined ? 'none' : `record ${slow.firstRecord}`;
    expect(printedLines(log)).toContain(`worker 0: loads in 1000 ms, took ${slow.records} records, first: ${first}`);
  });
});
