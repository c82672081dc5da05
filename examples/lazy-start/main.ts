/**
 * Lazy startup: workers come online as they finish loading, and take records from then on.
 *
 * Every child "loads a model" before it reads anything (model.mjs sleeps, then prints
 * READY). Here worker 0 is the slow one (1 s: a cold cache), the others need 100 ms. With
 * `ready: { stdoutLine: 'READY' }` the swarm sends a worker nothing until it printed READY, so
 * the fast workers take the first records and the slow one joins when it is ready, instead
 * of records piling up in the pipe of a child that cannot answer yet.
 *
 * Run it with `npx tsx examples/lazy-start/main.ts`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSwarm } from '../../lib/index.js';

/** What one worker did, as the example prints it. */
export interface WorkerSummary {
  id: number;
  loadMs: number;
  /** ms from the swarm's creation to the worker's READY line. */
  readyAfterMs: number;
  /** Records the swarm routed to the worker. */
  records: number;
  /** Number of the first record it answered (undefined if it got none). */
  firstRecord: number | undefined;
}

/** Records, one every `intervalMs`: a source that keeps producing while the workers load. */
async function* pacedRecords(count: number, intervalMs: number): AsyncGenerator<string> {
  for (let n = 0; n < count; n++) {
    yield `record ${n}`;
    await sleep(intervalMs);
  }
}

/** The worker's answers ("id\trecord n\tprediction"), without its READY line. */
function readAnswers(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && line !== 'READY')
    .map((line) => line.split('\t'));
}

/** Runs the example; `loadTimes[i]` is worker i's load time in ms. */
export async function main(loadTimes = [1000, 100, 100], records = 400, intervalMs = 5): Promise<WorkerSummary[]> {
  const folder = mkdtempSync(join(tmpdir(), 'subfeed-lazy-start-'));
  try {
    const started = Date.now();
    const readyAfterMs: number[] = [];
    const swarm = createSwarm<string>({
      command: [process.execPath, join(__dirname, 'model.mjs'), ...loadTimes.map(String)],
      count: loadTimes.length,
      channels: { stdin: (record) => `${record}\n` },
      ready: { stdoutLine: 'READY' }, // no records before the model is loaded
      stdout: join(folder, '{id}.out'),
    });
    swarm.on('worker-ready', (worker: { id: number }) => {
      readyAfterMs[worker.id] = Date.now() - started;
      console.log(`worker ${worker.id} ready after ${readyAfterMs[worker.id]} ms`);
    });
    await pipeline(pacedRecords(records, intervalMs), swarm);
    const summary = swarm.workers.map((worker) => {
      const answers = readAnswers(join(folder, `${worker.id}.out`));
      const first = answers[0]?.[1];
      return {
        id: worker.id,
        loadMs: loadTimes[worker.id],
        readyAfterMs: readyAfterMs[worker.id],
        records: worker.records,
        firstRecord: first === undefined ? undefined : Number(first.replace('record ', '')),
      };
    });
    for (const worker of summary) {
      const first = worker.firstRecord === undefined ? 'none' : `record ${worker.firstRecord}`;
      console.log(`worker ${worker.id}: loads in ${worker.loadMs} ms, took ${worker.records} records, first: ${first}`);
    }
    return summary;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
