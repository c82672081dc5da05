/**
 * The stream API on a gzip'd TSV: the parent gunzips the file and cuts it into lines, each
 * line goes to one of N `awk` workers, every worker writes its partial sums per city to its
 * own output file when its stdin ends, and the parent adds the partial sums up (a
 * map-reduce: one pipeline, then a few lines of reading).
 *
 * Run it with `npx tsx examples/gzip-tsv/main.ts [rows] [workers]`. It writes its own input,
 * a sample sales file, into a temporary folder and removes it afterwards.
 */
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { createSwarm } from '../../lib/index.js';

/** Rows and amount summed for one city. */
export interface CityTotal {
  rows: number;
  amount: number;
}

/** What the example prints, returned for the tests. */
export interface Summary {
  rows: number;
  /** Rows each worker took. */
  rowsPerWorker: number[];
  /** Totals per city, added up from the workers' partial sums. */
  totals: Record<string, CityTotal>;
  /** Totals per city, computed directly while writing the file. */
  expected: Record<string, CityTotal>;
}

const CITIES = ['Accra', 'Hanoi', 'Lisbon', 'Oslo', 'Quito'];

// Each worker sums its own rows and prints one "city<TAB>rows<TAB>amount" line per city at the
// end. (awk's output is buffered when it writes to a pipe; that is fine here, as it only
// writes at the end. `{ ... }` with spaces is not a subfeed placeholder.)
const AWK_PROGRAM = [
  'BEGIN { FS = "\\t" }',
  '{ rows[$2]++; amount[$2] += $3 }',
  'END { for (c in rows) printf "%s\\t%d\\t%d\\n", c, rows[c], amount[c] }',
].join(' ');

/** Writes `rows` sample rows (with a header) to a gzip'd TSV; returns the totals they add up to. */
async function writeSampleFile(path: string, rows: number): Promise<Record<string, CityTotal>> {
  const expected: Record<string, CityTotal> = {};
  function* generate() {
    yield 'id\tcity\tamount\n';
    for (let id = 1; id <= rows; id += 1000) {
      let chunk = '';
      for (let row = id; row < Math.min(id + 1000, rows + 1); row++) {
        const city = CITIES[row % CITIES.length];
        const amount = (row * 7919) % 1000;
        addTo(expected, city, 1, amount);
        chunk += `${row}\t${city}\t${amount}\n`;
      }
      yield chunk;
    }
  }
  await pipeline(generate(), createGzip(), createWriteStream(path));
  return expected;
}

/** Cuts text chunks into lines (one record per line), skipping the header line. */
async function* dataLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let partial = '';
  let header = true;
  for await (const chunk of chunks) {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (header) header = false;
      else if (line !== '') yield line;
    }
  }
  if (partial !== '') yield partial;
}

/** Adds up the "city<TAB>rows<TAB>amount" lines of every worker's output file. */
function sumPartials(paths: string[]): Record<string, CityTotal> {
  const totals: Record<string, CityTotal> = {};
  for (const path of paths) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      const [city, rows, amount] = line.split('\t');
      addTo(totals, city, Number(rows), Number(amount));
    }
  }
  return totals;
}

function addTo(totals: Record<string, CityTotal>, city: string, rows: number, amount: number): void {
  const total = (totals[city] ??= { rows: 0, amount: 0 });
  total.rows += rows;
  total.amount += amount;
}

/** Runs the example and prints a summary. */
export async function main(rows = 100_000, workers = 3): Promise<Summary> {
  const folder = mkdtempSync(join(tmpdir(), 'subfeed-gzip-tsv-'));
  try {
    const path = join(folder, 'sales.tsv.gz');
    const expected = await writeSampleFile(path, rows);
    const swarm = createSwarm<string>({
      command: ['awk', AWK_PROGRAM],
      count: workers,
      channels: { stdin: (line) => `${line}\n` },
      stdout: join(folder, '{id}.out'), // one file per worker, written by the child itself
    });
    // Resolves once every line was sent, every awk exited 0 and its output file is complete.
    await pipeline(createReadStream(path), createGunzip(), dataLines, swarm);
    const outputs = swarm.workers.map((worker) => join(folder, `${worker.id}.out`));
    const summary = { rows, rowsPerWorker: swarm.workers.map((worker) => worker.records), totals: sumPartials(outputs), expected };
    printSummary(summary, statSync(path).size);
    return summary;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function printSummary(summary: Summary, gzipBytes: number): void {
  const { rows, rowsPerWorker, totals, expected } = summary;
  console.log(`${rows} rows (${(gzipBytes / 1024).toFixed(0)} KiB gzip'd) through ${rowsPerWorker.length} awk workers`);
  console.log(`rows per worker: ${rowsPerWorker.join(', ')}`);
  console.log('city\trows\tamount');
  for (const city of Object.keys(totals).sort()) console.log(`${city}\t${totals[city].rows}\t${totals[city].amount}`);
  const matches = JSON.stringify(sorted(totals)) === JSON.stringify(sorted(expected));
  console.log(`totals match a direct sum: ${matches ? 'yes' : 'NO'}`);
}

function sorted(totals: Record<string, CityTotal>): Array<[string, CityTotal]> {
  return Object.entries(totals).sort(([a], [b]) => a.localeCompare(b));
}

if (require.main === module) {
  const [rows, workers] = process.argv.slice(2).map(Number);
  main(rows || undefined, workers || undefined).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
