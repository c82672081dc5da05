/**
 * `npm run bench:report [-- results.json]`: rebuilds docs/performance.md and its chart from a
 * results file (default bench/results/latest.json) without measuring anything.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from './report.js';
import { RESULTS_SCHEMA, type BenchResults } from './results.js';

function main(): void {
  const file = process.argv[2] ?? join(__dirname, 'results', 'latest.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  if (results.schema !== RESULTS_SCHEMA) {
    throw new Error(`${file} has results schema ${results.schema}, expected ${RESULTS_SCHEMA}: rerun npm run bench`);
  }
  console.log(`wrote ${writeReport(results).join(', ')}`);
}

main();
