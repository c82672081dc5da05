import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSwarm, type WorkerInfo } from '../lib/index.js';
import { workerIndexForKey } from '../lib/router.js';
import { memorySinks } from './helpers/collect.js';
import { numberedRecords } from './helpers/records.js';
import { countOpenFds, liveChildPids, settledFdCount } from './helpers/teardown.js';

const fixture = (name: string) => join(__dirname, 'fixtures', name);
type Row = { n: number; text: string };

/** Runs `count` records through `cat` workers and returns each worker's lines. */
async function routeThroughCat(records: number, options: { count: number; route?: 'ready' | 'round-robin' | { key: (row: Row) => string | number } }) {
  const output = memorySinks();
  const swarm = createSwarm<Row>({ command: 'cat', channels: { stdin: (row) => `${row.n}\n` }, stdout: output.sink, ...options });
  await pipeline(numberedRecords(records), swarm);
  const perWorker = swarm.workers.map((worker) => output.text(worker.id).split('\n').filter(Boolean).map(Number));
  return { perWorker, workers: swarm.workers };
}

/** Records spaced out in time (about 2 ms apart), so every fast starter gets ready first. */
async function* trickle(count: number): AsyncGenerator<Row> {
  for (let n = 0; n < count; n++) {
    await sleep(2);
    yield { n, text: `line ${n}` };
  }
}

describe('routing', () => {
  let fdsBefore: number;
  beforeEach(() => (fdsBefore = countOpenFds()));
  afterEach(async () => {
    expect(liveChildPids()).toEqual([]);
    expect(await settledFdCount(fdsBefore)).toBeLessThanOrEqual(fdsBefore);
  });

  test.each([1, 2, 8])('every record reaches exactly one of %i workers, in order within each worker', async (count) => {
    const { perWorker, workers } = await routeThroughCat(20_000, { count });
    const all = perWorker.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 20_000 }, (_, n) => n));
    for (const lines of perWorker) expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(workers.map((worker) => worker.records)).toEqual(perWorker.map((lines) => lines.length));
  });

  test("'round-robin' cycles through the workers in id order", async () => {
    const output = memorySinks();
    const swarm = createSwarm<Row>({
      command: 'cat',
      count: 3,
      route: 'round-robin',
      channels: { stdin: (row) => `${row.n}\n` },
      stdout: output.sink,
    });
    // Wait until all three are ready, so the cycle is not shortened by a late starter.
    const ready = new Promise<void>((resolve) => {
      let seen = 0;
      swarm.on('worker-ready', () => ++seen === 3 && resolve());
    });
    await ready;
    await pipeline(numberedRecords(9), swarm);
    const firstOfEach = [0, 1, 2].map((id) => output.text(id).split('\n').filter(Boolean).map(Number));
    const start = firstOfEach.findIndex((lines) => lines[0] === 0);
    for (let id = 0; id < 3; id++) {
      const offset = (id - start + 3) % 3;
      expect(firstOfEach[id]).toEqual([offset, offset + 3, offset + 6]);
    }
  });

  test('key routing sends equal keys to the same worker', async () => {
    const key = (row: Row) => `user-${row.n % 7}`;
    const { perWorker } = await routeThroughCat(7_000, { count: 3, route: { key } });
    perWorker.forEach((lines, id) => {
      for (const n of lines) expect(workerIndexForKey(`user-${n % 7}`, 3)).toBe(id);
    });
    const keysPerWorker = perWorker.map((lines) => new Set(lines.map((n) => n % 7)));
    const union = keysPerWorker.reduce((sum, keys) => sum + keys.size, 0);
    expect(union).toBe(7);
  });

  test('integer keys map to worker key % count', async () => {
    const { perWorker } = await routeThroughCat(40, { count: 4, route: { key: (row) => row.n } });
    perWorker.forEach((lines, id) => expect(lines.every((n) => n % 4 === id)).toBe(true));
  });

  test('a slow starter does not hold the others back: ready workers take the records first', async () => {
    const output = memorySinks();
    const readyOrder: number[] = [];
    const swarm = createSwarm<Row>({
      command: ['sh', '-c', 'if [ "$SUBFEED_WORKER_ID" = 0 ]; then sleep 2.5; fi; exec node "$0" 0', fixture('slow-start.mjs')],
      count: 3,
      ready: { stdoutLine: 'READY' },
      channels: { stdin: (row) => `${row.n}\n` },
      stdout: output.sink,
    });
    swarm.on('worker-ready', (worker: WorkerInfo) => readyOrder.push(worker.id));
    await pipeline(Readable.from(trickle(200)), swarm);
    // Worker 0 is still loading when the input ends, so it drains without ever becoming ready.
    expect(readyOrder.sort()).toEqual([1, 2]);
    const lines = [0, 1, 2].map((id) => output.text(id).split('\n').filter((line) => /^\d \d+$/.test(line)));
    expect(lines.flat()).toHaveLength(200);
    // All 200 records were written before worker 0 finished loading; the other two shared them.
    expect(swarm.workers[0].records).toBe(0);
    expect(lines[1].length).toBeGreaterThan(0);
    expect(lines[2].length).toBeGreaterThan(0);
    expect(lines[1].length + lines[2].length).toBe(200);
  });

  test('a readiness function gates the worker until it resolves', async () => {
    const output = memorySinks();
    const swarm = createSwarm<Row>({
      command: 'cat',
      count: 2,
      ready: ({ workerId }) => new Promise((resolve) => setTimeout(resolve, workerId === 1 ? 400 : 0)),
      channels: { stdin: (row) => `${row.n}\n` },
      stdout: output.sink,
    });
    await pipeline(numberedRecords(50), swarm);
    expect(swarm.workers[0].records).toBe(50);
    expect(swarm.workers[1].records).toBe(0);
  });
});
