import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { createSwarm, SubfeedError } from '../lib/index.js';
import { memorySinks } from './helpers/collect.js';
import { numberedRecords, tempDir, fixture } from './helpers/records.js';
import { checkTeardownAroundEachTest } from './helpers/teardown.js';
import { rejectionOf } from './helpers/failures.js';

type Row = { n: number; text: string };

describe('errors', () => {
  checkTeardownAroundEachTest();

  test('a child that exits 3 after 10 records fails the pipeline with ERR_SUBFEED_EXIT and its stderr', async () => {
    const errors = memorySinks();
    const swarm = createSwarm<Row>({
      command: ['node', fixture('exit-after.mjs'), '10', '3'],
      count: 1,
      channels: { stdin: (row) => `${row.text}\n` },
      stdout: 'ignore',
      stderr: errors.sink,
    });
    const error = await rejectionOf(pipeline(numberedRecords(100_000), swarm));
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_EXIT', workerId: 0, exitCode: 3, signal: null });
    expect((error as SubfeedError & { stderrTail: string }).stderrTail).toBe('giving up after 10 records (last: line 9)\n');
    expect(error.message).toContain('Worker 0 exited with code 3');
    expect(error.message).toContain('giving up after 10 records');
  });

  test('the stderr tail is read back from a file sink', async () => {
    const dir = tempDir();
    const error = await rejectionOf(
      pipeline(
        numberedRecords(50),
        createSwarm<Row>({
          command: ['node', fixture('exit-after.mjs'), '10', '4'],
          count: 1,
          channels: { stdin: (row) => `${row.text}\n` },
          stdout: 'ignore',
          stderr: join(dir, 'err-{id}.log'),
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_EXIT', exitCode: 4, stderrTail: 'giving up after 10 records (last: line 9)\n' });
  });

  test('a child killed by a signal reports the signal', async () => {
    const error = await rejectionOf(
      pipeline(numberedRecords(10), createSwarm({ command: ['sh', '-c', 'kill -9 $$'], count: 1, channels: { stdin: () => 'x\n' } })),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_EXIT', exitCode: null, signal: 'SIGKILL' });
  });

  test('a live child that closes fd 3 early fails with ERR_SUBFEED_CLOSED naming the channel', async () => {
    const error = await rejectionOf(
      pipeline(
        numberedRecords(200_000),
        createSwarm<Row>({
          command: ['node', fixture('close-fd3.mjs')],
          count: 1,
          channels: { stdin: (row) => `${row.text}\n`, nums: (row) => `${row.n}\n` },
          stdout: 'ignore',
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_CLOSED', workerId: 0, channel: 'nums' });
    const pending = (error as SubfeedError & { pendingRecords: number }).pendingRecords;
    expect(pending).toBeGreaterThan(0);
    expect(pending).toBeLessThanOrEqual(200_000);
    expect(error.message).toMatch(/Worker 0 closed channel "nums" while \d+ record\(s\) for channel "nums" were pending/);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EPIPE');
  });

  test('a child that exits 0 while records are pending fails with ERR_SUBFEED_CLOSED', async () => {
    const error = await rejectionOf(
      pipeline(
        numberedRecords(200_000),
        createSwarm<Row>({ command: ['head', '-n', '1'], count: 1, channels: { stdin: (row) => `${row.text}\n` }, stdout: 'ignore' }),
      ),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_CLOSED', workerId: 0, channel: 'stdin' });
    expect(error.message).toContain('exited with code 0');
  });

  test('a missing program fails with ERR_SUBFEED_SPAWN naming it', async () => {
    const error = await rejectionOf(
      pipeline(numberedRecords(10), createSwarm({ command: 'no-such-program-subfeed --flag', count: 2, channels: { stdin: () => 'x\n' } })),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_SPAWN', command: ['no-such-program-subfeed', '--flag'] });
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(error.message).toContain('"no-such-program-subfeed"');
  });

  test('a missing cwd fails with ERR_SUBFEED_SPAWN', async () => {
    const error = await rejectionOf(
      pipeline(numberedRecords(3), createSwarm({ command: 'cat', count: 1, cwd: '/no/such/dir', channels: { stdin: () => 'x\n' } })),
    );
    expect(error.code).toBe('ERR_SUBFEED_SPAWN');
  });

  test.each<[string, (row: Row) => string]>([
    ['throws', (row) => {
      if (row.n === 7) throw new Error('bad row');
      return `${row.n}\n`;
    }],
    ['returns a number', (row) => (row.n === 7 ? (7 as unknown as string) : `${row.n}\n`)],
  ])('a formatter that %s fails with ERR_SUBFEED_FORMAT, after delivering every earlier record', async (_how, format) => {
    const output = memorySinks();
    const error = await rejectionOf(
      pipeline(
        numberedRecords(20),
        createSwarm<Row>({
          command: 'paste -d , - {copy}',
          count: 2,
          channels: { stdin: (row) => `${row.n}\n`, copy: format },
          stdout: output.sink,
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_FORMAT', channel: 'copy', recordIndex: 7 });
    expect(error.message).toContain('channel "copy"');
    const lines = output.all().trim().split('\n').sort((a, b) => parseInt(a) - parseInt(b));
    expect(lines).toEqual(Array.from({ length: 7 }, (_, n) => `${n},${n}`));
  });

  test('a key function that throws fails with ERR_SUBFEED_FORMAT on route.key', async () => {
    const error = await rejectionOf(
      pipeline(
        numberedRecords(5),
        createSwarm<Row>({
          command: 'cat',
          count: 2,
          route: {
            key: (row) => {
              if (row.n === 3) throw new Error('no key');
              return row.n;
            },
          },
          channels: { stdin: (row) => `${row.n}\n` },
          stdout: 'ignore',
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_FORMAT', channel: 'route.key', recordIndex: 3 });
  });

  test('a child that reads fd 3 to the end before stdin fails with ERR_SUBFEED_STALL, not a hang', async () => {
    const error = await rejectionOf(
      pipeline(
        numberedRecords(100_000),
        createSwarm<Row>({
          command: ['node', fixture('side-first.mjs')],
          count: 1,
          highWaterMark: 16 * 1024,
          stallTimeout: 500,
          killTimeout: 100,
          channels: { stdin: (row) => `${row.text} ${'x'.repeat(100)}\n`, side: (row) => `${row.n}\n` },
          stdout: 'ignore',
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_STALL', workerId: 0, fullChannel: 'stdin', emptyChannel: 'side' });
  });

  test('running out of file descriptors for the pipes fails with ERR_SUBFEED_SPAWN, before any child', () => {
    // A child Node with a low fd limit: 16 workers × 3 channels need more pipes than it may open.
    const script = `
      const { createSwarm } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'cjs', 'index.js'))});
      const { pipeline } = require('node:stream/promises');
      const { Readable } = require('node:stream');
      const swarm = createSwarm({ command: 'cat', count: 16, channels: { stdin: String, a: String, b: String }, stdout: 'ignore' });
      pipeline(Readable.from(['x\\n']), swarm).then(
        () => console.log('finished'),
        (error) => console.log(JSON.stringify({ code: error.code, workerId: error.workerId, cause: error.cause?.code, message: error.message, started: swarm.workers.filter((w) => w.pid).length })),
      );`;
    const result = spawnSync('sh', ['-c', 'ulimit -n 40; exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8' });
    expect(JSON.parse(result.stdout)).toEqual({
      code: 'ERR_SUBFEED_SPAWN',
      workerId: -1,
      cause: 'EMFILE',
      message: 'Could not create the channel pipes to start "cat": EMFILE',
      started: 0,
    });
  });

  test('a record that comes after every child exited 0 fails with ERR_SUBFEED_CLOSED instead of waiting forever', async () => {
    const swarm = createSwarm<Row>({ command: 'true', count: 2, channels: { stdin: (row) => `${row.n}\n` } });
    const bothExited = new Promise<void>((resolve) => {
      let exits = 0;
      swarm.on('worker-exit', () => ++exits === 2 && resolve());
    });
    async function* late(): AsyncGenerator<Row> {
      await bothExited;
      yield { n: 0, text: 'line 0' };
    }
    const error = await rejectionOf(pipeline(Readable.from(late()), swarm));
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_CLOSED', channel: 'stdin', pendingRecords: 1 });
    expect(error.message).toContain('exited with code 0');
  });
});
