/**
 * The shape of bench/results/latest.json: everything a run measured, enough to rebuild the
 * printed table and docs/performance.md without running anything again.
 * @module
 */
import type { ContenderName, ContenderSettings } from './contenders/index.js';
import type { RunMeasurement } from './run-contender.js';
import type { Workload } from './workloads.js';

/** Bumped when a field changes meaning, so old files are not misread. */
export const RESULTS_SCHEMA = 1;

export interface BenchResults {
  schema: typeof RESULTS_SCHEMA;
  mode: 'quick' | 'full';
  startedAt: string;
  finishedAt: string;
  /** Interleaved rounds per suite: each round runs every contender of the suite once. */
  rounds: number;
  machine: MachineInfo;
  /** The original Python library on the canonical job, as quoted in issue 4 (not measured here). */
  pythonReference: { recordsPerSecond: number; source: string };
  suites: SuiteResult[];
  targets: TargetResult[];
}

export interface MachineInfo {
  nproc: number;
  node: string;
  cpu: string;
  kernel: string;
  memoryGiB: number;
  /** 1-minute load average before and after: other work on the machine shows up here. */
  loadBefore: number;
  loadAfter: number;
}

/** Which baseline a ratio column divides by: the best entry of that series in the same group. */
export interface SuiteResult {
  id: string;
  title: string;
  description: string;
  /** What the numeric `x` of the entries means, for suites that are charted. */
  xLabel?: string;
  compareTo: string[];
  entries: EntryResult[];
}

/** One contender in one configuration, with every run of it. */
export interface EntryResult {
  /** Row group within the suite, e.g. "64 KiB Buffers" or "4 workers". */
  group: string;
  /** Chart position of the group (workers, record bytes); absent in suites without a chart. */
  x?: number;
  /** Same series, same line on the chart and same ratio baseline: "subfeed", "batched"… */
  series: string;
  label: string;
  contender: ContenderName;
  workload: Workload;
  settings: ContenderSettings;
  records: number;
  bytes: number;
  runs: RunMeasurement[];
  /** Why the entry was not run (e.g. GNU parallel missing). */
  skipped?: string;
  errors?: string[];
  /** Absent when no run succeeded. */
  summary?: EntrySummary;
}

export interface EntrySummary {
  /** Median over the runs. */
  recordsPerSecond: number;
  bytesPerSecond: number;
  /** Highest over the runs. */
  rssKiB: number;
  childrenRssKiB: number;
}

export interface TargetResult {
  description: string;
  status: 'PASS' | 'FAIL' | 'SKIP';
  measured: string;
  required: string;
  note?: string;
}
