import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { createSwarm, type WorkerInfo } from '../lib/index.js';
import { workerIndexForKey } from '../lib/router.js';
import { memorySinks } from './helpers/collect.js';
import { numberedRecords, tempDir, fixture } from './helpers/records.js';
import { checkTeardownAroundEachTest, waitFor } from './helpers/teardown.js';

type Row = { n: number; text: string };

/** Runs `count` records through `cat` workers and returns each worker's lines. */
async function routeThroughCat(records: number, options: { count: number; route?: 'ready' | 'round-robin' | { key: (row: Row) => string | number } }) {
  const output = memorySinks();
  const swarm = createSwarm<Row>({ command: 'cat', channels: { stdin: (row) => `${row.n}\n` }, stdout: output.sink, ...options });
  await pipeline(numberedRecords(records), swarm);
  const perWorker = swarm.workers.map((worker) => output.text(worker.id).split('\n').filter(Boolean).map(Number));
  return { perWorker, workers: swarm.workers };
}

describe('routing', () => {
  checkTeardownAroundEachTest();

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
    const gate = join(tempDir(), 'gate');
    const output = memorySinks();
    const readyOrder: number[] = [];
    const swarm = createSwarm<Row>({
      // Worker 0 "loads" until the test opens the gate, which it does once all input is written.
      command: ['sh', '-c', 'if [ "$SUBFEED_WORKER_ID" = 0 ]; then while [ ! -e "$GATE" ]; do sleep 0.05; done; fi; exec node "$0" 0', fixture('slow-start.mjs')],
      env: { GATE: gate },
      count: 3,
      ready: { stdoutLine: 'READY' },
      channels: { stdin: (row) => `${row.n}\n` },
      stdout: output.sink,
    });
    swarm.on('worker-ready', (worker: WorkerInfo) => readyOrder.push(worker.id));
    const othersReady = new Promise<void>((resolve) => swarm.on('worker-ready', () => readyOrder.length === 2 && resolve()));
    async function* recordsThenOpenGate(): AsyncGenerator<Row> {
      await othersReady;
      for (let n = 0; n < 200; n++) yield { n, text: `line ${n}` };
      writeFileSync(gate, '');
    }
    await pipeline(Readable.from(recordsThenOpenGate()), swarm);
    expect(readyOrder.sort()).toEqual([1, 2]);
    const lines = [0, 1, 2].map((id) => output.text(id).split('\n').filter((line) => /^\d \d+$/.test(line)));
    // All 200 records were taken by the two ready workers while worker 0 was still loading.
    expect(swarm.workers[0].records).toBe(0);
    expect(lines[1].length).toBeGreaterThan(0);
    expect(lines[2].length).toBeGreaterThan(0);
    expect(lines[1].length + lines[2].length).toBe(200);
  });

  test('a readiness function gates the worker until it resolves', async () => {
    const output = memorySinks();
    let inputDone!: () => void;
    const inputWritten = new Promise<void>((resolve) => (inputDone = resolve));
    const swarm = createSwarm<Row>({
      command: 'cat',
      count: 2,
      ready: ({ workerId }) => (workerId === 1 ? inputWritten : undefined),
      channels: { stdin: (row) => `${row.n}\n` },
      stdout: output.sink,
    });
    async function* records(): AsyncGenerator<Row> {
      for (let n = 0; n < 50; n++) yield { n, text: `line ${n}` };
      inputDone();
    }
    await pipeline(Readable.from(records()), swarm);
    expect(swarm.workers[0].records).toBe(50);
    expect(swarm.workers[1].records).toBe(0);
    expect(output.text(0).split('\n').filter(Boolean)).toHaveLength(50);
  });

  test('a readiness RegExp with the g flag matches every worker\'s line, not just the first', async () => {
    const swarm = createSwarm<Row>({
      command: ['node', fixture('slow-start.mjs'), '0'],
      count: 3,
      ready: { stdoutLine: /^READY$/g },
      channels: { stdin: (row) => `${row.n}\n` },
      stdout: 'ignore',
    });
    const ready: number[] = [];
    swarm.on('worker-ready', (worker: WorkerInfo) => ready.push(worker.id));
    try {
      await waitFor(() => ready.length === 3, 5000);
    } catch (error) {
      swarm.destroy(); // fail, do not hang: stop the children the test is about to give up on
      await new Promise((resolve) => swarm.once('close', resolve));
      throw error;
    }
    await pipeline(numberedRecords(3), swarm);
    expect(ready.sort()).toEqual([0, 1, 2]);
  });
});
