import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import readableStream from 'readable-stream';
import { createSwarm, SubfeedError, type WorkerInfo } from '../lib/index.js';
import { memorySinks } from './helpers/collect.js';
import { fixture, numberedRecords, tempDir } from './helpers/records.js';
import { checkTeardownAroundEachTest, countOpenFds, isAlive, settledFdCount, waitFor } from './helpers/teardown.js';

type Row = { n: number; text: string };

/** Records forever, one every few ms: a source that never ends by itself. */
async function* endless(): AsyncGenerator<Row> {
  for (let n = 0; ; n++) {
    if (n % 100 === 0) await sleep(5);
    yield { n, text: `line ${n}` };
  }
}

describe('lifecycle', () => {
  checkTeardownAroundEachTest();

  test('abort mid-stream: ERR_SUBFEED_ABORTED, a child ignoring SIGTERM is SIGKILLed after killTimeout', async () => {
    const controller = new AbortController();
    const swarm = createSwarm<Row>({
      command: ['node', fixture('ignore-term.mjs')],
      count: 2,
      signal: controller.signal,
      killTimeout: 300,
      ready: { stdoutLine: 'READY' },
      channels: { stdin: (row) => `${row.text}\n` },
      stdout: 'ignore',
      stderr: 'ignore',
    });
    const exits: WorkerInfo[] = [];
    swarm.on('worker-exit', (worker: WorkerInfo) => exits.push({ ...worker }));
    const bothReady = new Promise<void>((resolve) => {
      let seen = 0;
      swarm.on('worker-ready', () => ++seen === 2 && resolve());
    });
    const running = pipeline(Readable.from(endless()), swarm);
    await bothReady;
    await sleep(100);
    const pids = swarm.workers.map((worker) => worker.pid!);
    expect(pids.every(isAlive)).toBe(true);
    controller.abort(new Error('user pressed stop'));
    const error = await running.then(() => null, (caught: unknown) => caught as SubfeedError);
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_ABORTED' });
    expect((error!.cause as Error).message).toBe('user pressed stop');
    expect(exits.map((worker) => worker.signal)).toEqual(['SIGKILL', 'SIGKILL']);
    expect(pids.some(isAlive)).toBe(false);
  });

  test('an already aborted signal destroys the swarm before any child starts, and closes its file sinks', async () => {
    const controller = new AbortController();
    controller.abort();
    const dir = tempDir();
    const swarm = createSwarm({ command: 'cat', count: 2, signal: controller.signal, stdout: join(dir, '{id}.out') });
    const error = await pipeline(numberedRecords(10), swarm).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'ERR_SUBFEED_ABORTED' });
    if (!swarm.closed) await new Promise((resolve) => swarm.once('close', resolve));
    expect(swarm.workers.map((worker) => worker.pid)).toEqual([undefined, undefined]);
  });

  test('destroy() stops the children of a shell that does not exec them (no orphan)', async () => {
    const swarm = createSwarm({ command: ['sh', '-c', 'sleep 30; echo done'], count: 2, channels: { stdin: () => 'x\n' } });
    const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    await waitFor(() => swarm.workers.every((worker) => worker.pid && childrenOf(worker.pid).length === 1));
    const shells = swarm.workers.map((worker) => worker.pid!);
    const sleepers = shells.flatMap(childrenOf);
    expect(sleepers).toHaveLength(2);
    swarm.destroy();
    await new Promise((resolve) => swarm.once('close', resolve));
    expect([...shells, ...sleepers].some(isAlive)).toBe(false);
  });

  test('children stay in the parent process group, so a terminal Ctrl-C reaches them too', async () => {
    const swarm = createSwarm({ command: ['sleep', '5'], count: 1, channels: { stdin: () => '' } });
    await new Promise((resolve) => swarm.once('worker-ready', resolve));
    const processGroup = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2];
    expect(processGroup(swarm.workers[0].pid!)).toBe(processGroup(process.pid));
    swarm.destroy();
    await new Promise((resolve) => swarm.once('close', resolve));
  });

  test('20 swarms in a row leave no zombie, no live child and no extra fd', async () => {
    const baseline = countOpenFds();
    const pids: number[] = [];
    for (let round = 0; round < 20; round++) {
      const swarm = createSwarm<Row>({
        command: 'paste -d , - {nums}',
        count: 2,
        channels: { stdin: (row) => `${row.text}\n`, nums: (row) => `${row.n}\n` },
        stdout: 'ignore',
      });
      await pipeline(numberedRecords(100), swarm);
      pids.push(...swarm.workers.map((worker) => worker.pid!));
    }
    expect(pids).toHaveLength(40);
    for (const pid of pids) expect(() => readFileSync(`/proc/${pid}/stat`)).toThrow(/ENOENT/);
    expect(await settledFdCount(baseline)).toBeLessThanOrEqual(baseline);
  });

  test('workers report their states, records, bytes and exit codes; events fire once per worker', async () => {
    const ready: number[] = [];
    const exited: number[] = [];
    const swarm = createSwarm<Row>({
      command: 'paste -d , - {nums}',
      count: 2,
      channels: { stdin: (row) => `${row.text}\n`, nums: (row) => `${row.n}\n` },
      stdout: 'ignore',
    });
    expect(swarm.workers.map((worker) => worker.state)).toEqual(['starting', 'starting']);
    swarm.on('worker-ready', (worker: WorkerInfo) => ready.push(worker.id));
    swarm.on('worker-exit', (worker: WorkerInfo) => exited.push(worker.id));
    await pipeline(numberedRecords(10), swarm);
    // A worker still starting when the input ends drains without becoming ready.
    expect(ready.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ready).size).toBe(ready.length);
    expect(exited.sort()).toEqual([0, 1]);
    const totals = swarm.workers.reduce((sum, worker) => sum + worker.records, 0);
    expect(totals).toBe(10);
    const stdinBytes = swarm.workers.reduce((sum, worker) => sum + worker.bytes.stdin, 0);
    expect(stdinBytes).toBe(Array.from({ length: 10 }, (_, n) => `line ${n}\n`).join('').length);
    for (const worker of swarm.workers) expect(worker).toMatchObject({ state: 'exited', exitCode: 0, signal: null });
  });

  test('finish comes after every sink got all its bytes', async () => {
    const output = memorySinks();
    const swarm = createSwarm<Row>({ command: 'cat', count: 2, channels: { stdin: (row) => `${row.text}\n` }, stdout: output.sink });
    await pipeline(numberedRecords(50_000), swarm);
    expect(output.all().split('\n').filter(Boolean)).toHaveLength(50_000);
  });

  test("readable-stream's pipeline drives the swarm too", async () => {
    const output = memorySinks();
    const swarm = createSwarm<Row>({ command: 'cat', count: 2, channels: { stdin: (row) => `${row.n}\n` }, stdout: output.sink });
    await new Promise<void>((resolve, reject) =>
      readableStream.pipeline(readableStream.Readable.from(numbers(1000)), swarm, (error) => (error ? reject(error) : resolve())),
    );
    expect(output.all().split('\n').filter(Boolean).map(Number).sort((a, b) => a - b)).toEqual([...numbers(1000)].map((row) => row.n));
  });

  test('a source error destroys the swarm and stops every child', async () => {
    async function* failing(): AsyncGenerator<Row> {
      yield { n: 0, text: 'line 0' };
      await sleep(100);
      throw new Error('source broke');
    }
    const swarm = createSwarm<Row>({ command: ['sleep', '30'], count: 2, channels: { stdin: (row) => `${row.text}\n` } });
    const error = await pipeline(Readable.from(failing()), swarm).then(() => null, (caught: unknown) => caught as Error);
    expect(error?.message).toBe('source broke');
    // Node's pipeline() can settle on a source error before the destination has closed
    // (it counts the source's failure twice); the swarm's 'close' is when children are reaped.
    if (!swarm.closed) await new Promise((resolve) => swarm.once('close', resolve));
    expect(swarm.workers.map((worker) => worker.signal)).toEqual(['SIGTERM', 'SIGTERM']);
  });
});

function* numbers(count: number): Generator<{ n: number }> {
  for (let n = 0; n < count; n++) yield { n };
}
