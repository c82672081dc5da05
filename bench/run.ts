/**
 * `npm run bench [-- --quick]`: runs every suite in interleaved rounds (A B C, A B C, …),
 * each run in a fresh Node process, prints medians, ratios and the targets, saves the
 * raw results to bench/results/latest.json and regenerates docs/performance.md from them.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileForContenders } from './compile.js';
import { BENCH_TEMP_DIR } from './contenders/paste-alone.js';
import { formatRate } from './format.js';
import { SCALES, planSuites } from './plan.js';
import { writeReport } from './report.js';
import { RESULTS_SCHEMA, type BenchResults, type EntryResult, type MachineInfo, type SuiteResult } from './results.js';
import { runContender } from './run-contender.js';
import { summarize } from './summary.js';
import { resultsText } from './table.js';
import { PYTHON_REFERENCE_RATE, evaluateTargets } from './targets.js';

const USAGE = `Usage: npm run bench [-- options]

  (no option)      full run: 10M canonical records, 5 rounds; 10-15 minutes on 2 cores
  --quick          small jobs (1M canonical records, 3 rounds): about a minute on an idle machine
  --rounds <n>     interleaved rounds per suite (default: 5, or 3 with --quick)
  --only <ids>     comma-separated suites: canonical, bytes, workers, record-size
  --out <file>     results file (default bench/results/latest.json; docs/performance.md is
                   regenerated only when writing the default file)
  --help           this text`;

/** Where results go by default; the docs are generated from this file. */
export const DEFAULT_RESULTS_FILE = join(__dirname, 'results', 'latest.json');

/** A mistake in the command line: reported with the usage, without a stack trace. */
class UsageError extends Error {}

interface BenchFlags {
  quick: boolean;
  rounds: number | undefined;
  only: string[] | undefined;
  out: string;
}

function parseFlags(): BenchFlags | null {
  const { values } = parseCommandLine();
  if (values.help) return null;
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) {
    throw new UsageError(`--rounds must be an integer >= 1. Received ${values.rounds}`);
  }
  return { quick: values.quick, rounds, only: values.only?.split(','), out: resolve(values.out ?? DEFAULT_RESULTS_FILE) };
}

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  rounds: { type: 'string' },
  only: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function parseCommandLine() {
  try {
    return parseArgs({ options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message); // ERR_PARSE_ARGS_*: unknown option, missing value
  }
}

/** Installs GNU parallel if it can; returns why it is unavailable, or null when it is there. */
function ensureBaselines(): string | null {
  const script = join(__dirname, 'install-baselines.sh');
  // apt's progress goes to our stderr; the script's stdout is the reason when it fails.
  const outcome = spawnSync('/bin/sh', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
  if (outcome.status === 0) return null;
  return outcome.stdout.trim() || `install-baselines.sh failed (${outcome.error?.message ?? outcome.signal ?? outcome.status})`;
}

/** Runs every entry of the suite once per round, in the same order each round. */
async function measureSuite(suite: SuiteResult, childScript: string, rounds: number): Promise<void> {
  const entries = suite.entries.filter((entry) => !entry.skipped);
  for (let round = 1; round <= rounds; round++) {
    for (const entry of entries) {
      process.stderr.write(`[${suite.id} ${round}/${rounds}] ${entry.group}: ${entry.label} … `);
      try {
        const job = { contender: entry.contender, workload: entry.workload, settings: entry.settings };
        const run = await runContender(childScript, job, timeoutFor(entry));
        entry.runs.push(run);
        process.stderr.write(`${run.seconds.toFixed(2)} s, ${formatRate(entry.records / run.seconds)}\n`);
      } catch (error) {
        (entry.errors ??= []).push((error as Error).message);
        process.stderr.write(`FAILED: ${(error as Error).message}\n`);
      }
    }
  }
  for (const entry of suite.entries) entry.summary = summarize(entry);
}

/** Generous: 30 s plus 50 µs per record and 50 ms per MB; only a hang should ever hit it. */
function timeoutFor(entry: EntryResult): number {
  return 30_000 + entry.records / 20 + entry.bytes / 20_000;
}

function describeMachine(loadBefore: number): MachineInfo {
  return {
    nproc: availableParallelism(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    kernel: `${type()} ${release()}`,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    loadBefore,
    loadAfter: loadavg()[0],
  };
}

/** Four significant digits are plenty and keep the file small and diff-friendly. */
function roundForStorage(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(4)) : value;
}

async function main(): Promise<void> {
  const flags = parseFlags();
  if (!flags) return void console.log(USAGE);
  const mode = flags.quick ? 'quick' : 'full';
  const scale = SCALES[mode];
  const rounds = flags.rounds ?? scale.rounds;
  const loadBefore = loadavg()[0];
  const startedAt = new Date().toISOString();
  const parallelMissing = ensureBaselines();
  if (parallelMissing) process.stderr.write(`GNU parallel baseline skipped: ${parallelMissing}\n`);
  const planned = planSuites(scale, parallelMissing);
  const unknown = flags.only?.filter((id) => !planned.some((suite) => suite.id === id));
  if (unknown?.length) throw new UsageError(`--only names unknown suites: ${unknown.join(', ')}`);
  const suites = planned.filter((suite) => !flags.only || flags.only.includes(suite.id));
  const childScript = await compileForContenders();
  try {
    for (const suite of suites) await measureSuite(suite, childScript, rounds);
  } finally {
    rmSync(BENCH_TEMP_DIR, { recursive: true, force: true }); // paste's input files
  }
  const results: BenchResults = {
    schema: RESULTS_SCHEMA,
    mode,
    startedAt,
    finishedAt: new Date().toISOString(),
    rounds,
    machine: describeMachine(loadBefore),
    pythonReference: { recordsPerSecond: PYTHON_REFERENCE_RATE, source: 'issue 4 (quoted; no copy of the library here)' },
    suites,
    targets: evaluateTargets(suites),
  };
  console.log(resultsText(results));
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, `${JSON.stringify(results, roundForStorage, 2)}\n`);
  const seconds = (Date.parse(results.finishedAt) - Date.parse(startedAt)) / 1000;
  console.log(`\nwhole run: ${seconds.toFixed(0)} s; results: ${flags.out}`);
  if (flags.out === DEFAULT_RESULTS_FILE) console.log(`report: ${writeReport(results).join(', ')}`);
}

main().catch((error: Error) => {
  console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : (error?.stack ?? error));
  process.exitCode = 1;
});
