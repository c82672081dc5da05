/**
 * What a bench run measures: the suites, their contenders and the job sizes, for the full
 * run and for `--quick` (same suites, smaller jobs, so the whole run fits in a minute).
 * @module
 */
import type { ContenderName, ContenderSettings } from './contenders/index.js';
import { formatBytes, formatCount } from './format.js';
import type { EntryResult, SuiteResult } from './results.js';
import { payloadBytes, recordCount, type CanonicalWorkload, type StreamWorkload, type Workload } from './workloads.js';

/** Job sizes of one mode. */
export interface BenchScale {
  rounds: number;
  canonicalRecords: number;
  /**
   * subfeed's peak RSS at this size is compared with its peak at canonicalRecords: it must not
   * grow. Both sizes must be past V8's heap warm-up (young generation growing to its full size),
   * which on its own adds ~25% between 200k and 1M records, for every contender alike.
   */
  rssCheckRecords: number;
  /** The naive feeder manages ~0.14M records/s: a full-size job would take over a minute a run. */
  naiveRecords: number;
  /** Records per channel write of the hand-written batched feeder(s); the best one is the baseline. */
  batchRecords: number[];
  streamBytes: number;
  scalingRecords: number;
  recordSizeMaxRecords: number;
  recordSizeMaxBytes: number;
}

const MiB = 1024 * 1024;

export const SCALES: Record<'quick' | 'full', BenchScale> = {
  quick: {
    rounds: 3,
    canonicalRecords: 1_000_000,
    rssCheckRecords: 1_500_000,
    naiveRecords: 20_000,
    batchRecords: [1000],
    streamBytes: 48 * MiB,
    scalingRecords: 80_000,
    recordSizeMaxRecords: 80_000,
    recordSizeMaxBytes: 16 * MiB,
  },
  full: {
    rounds: 5,
    canonicalRecords: 10_000_000,
    rssCheckRecords: 1_000_000,
    naiveRecords: 1_000_000,
    batchRecords: [100, 1000],
    streamBytes: 1024 * MiB,
    scalingRecords: 2_000_000,
    recordSizeMaxRecords: 2_000_000,
    recordSizeMaxBytes: 512 * MiB,
  },
};

/** Worker counts of the scaling suite. */
export const WORKER_COUNTS = [1, 2, 4, 8];
/** Record sizes of the scaling suite, bytes. */
export const RECORD_SIZES = [16, 256, 4096, 65536];

/** The suites of a run, nothing measured yet. `parallelMissing` says why GNU parallel is skipped, if it is. */
export function planSuites(scale: BenchScale, parallelMissing: string | null): SuiteResult[] {
  return [canonicalSuite(scale), bytesSuite(scale, parallelMissing), workersSuite(scale), recordSizeSuite(scale)];
}

function canonicalSuite(scale: BenchScale): SuiteResult {
  const job = (records: number): CanonicalWorkload => ({ kind: 'canonical', records, workers: 2 });
  const group = `${formatCount(scale.canonicalRecords)} records, 2 workers`;
  const full = job(scale.canonicalRecords);
  const batched = scale.batchRecords.map((batchRecords) =>
    entry(group, 'batched', `hand-written batched feeder, ${batchRecords} records/write`, {
      contender: 'batched-feeder',
      workload: full,
      settings: { batchRecords },
    }),
  );
  return {
    id: 'canonical',
    title: 'Canonical job',
    description:
      'Records `(i, "the quick brown fox <i>")`: `<i>\\n` on fd 3, the text on stdin, ' +
      "2 workers running `paste -d '\\t' /dev/fd/3 -`, stdout discarded.",
    compareTo: ['batched', 'source-only'],
    entries: [
      entry(group, 'subfeed', 'subfeed', { contender: 'subfeed', workload: full }),
      entry(group, 'subfeed-rss', `subfeed, ${formatCount(scale.rssCheckRecords)} records (RSS check)`, {
        contender: 'subfeed',
        workload: job(scale.rssCheckRecords),
      }),
      ...batched,
      entry(group, 'writable-feeder', 'hand-written batched feeder as a pipeline-driven Writable, 1000 records/write', {
        contender: 'writable-feeder',
        workload: full,
        settings: { batchRecords: 1000 },
      }),
      entry(group, 'naive', `naive feeder, 1 write/record (${formatCount(scale.naiveRecords)} records)`, {
        contender: 'unbatched-feeder',
        workload: job(scale.naiveRecords),
      }),
      entry(group, 'source-only', 'source only: Readable.from(generator) → no-op Writable', {
        contender: 'source-only',
        workload: full,
      }),
      entry(group, 'paste-alone', 'paste alone, 1 process, from files (per-process ceiling)', {
        contender: 'paste-alone',
        workload: full,
      }),
    ],
  };
}

function bytesSuite(scale: BenchScale, parallelMissing: string | null): SuiteResult {
  const shapes: Array<[string, Omit<StreamWorkload, 'kind' | 'chunks' | 'workers'>]> = [
    ['64 KiB Buffers', { chunkBytes: 64 * 1024, lineBytes: 64, chunkType: 'buffer' }],
    ['1 MiB text lines', { chunkBytes: MiB, lineBytes: MiB, chunkType: 'string' }],
  ];
  const entries = shapes.flatMap(([group, shape]) => {
    const workload: StreamWorkload = { kind: 'stream', ...shape, chunks: scale.streamBytes / shape.chunkBytes, workers: 2 };
    const parallelLabel = 'GNU parallel --pipe --round-robin -j2 cat';
    const parallel = entry(group, 'gnu-parallel', parallelLabel, { contender: 'gnu-parallel', workload });
    if (parallelMissing) parallel.skipped = parallelMissing;
    return [
      entry(group, 'subfeed', 'subfeed', { contender: 'subfeed', workload }),
      entry(group, 'raw-pump', 'raw Node pump, 1 write/chunk, same real pipes', { contender: 'unbatched-feeder', workload }),
      entry(group, 'shell-pipe', 'head -c | cat, no Node (pipe ceiling, 1 consumer)', { contender: 'shell-pipe', workload }),
      parallel,
    ];
  });
  return {
    id: 'bytes',
    title: 'Bytes job',
    description: `${formatBytes(scale.streamBytes)} on stdin only, 2 workers running \`cat\` with stdout to /dev/null.`,
    compareTo: ['raw-pump', 'gnu-parallel'],
    entries,
  };
}

function workersSuite(scale: BenchScale): SuiteResult {
  const entries = WORKER_COUNTS.flatMap((workers) => {
    const workload: CanonicalWorkload = { kind: 'canonical', records: scale.scalingRecords, workers };
    const group = `${workers} worker${workers === 1 ? '' : 's'}`;
    return [
      entry(group, 'subfeed', 'subfeed', { contender: 'subfeed', workload, x: workers }),
      entry(group, 'batched', 'batched feeder', { contender: 'batched-feeder', workload, x: workers }),
    ];
  });
  return {
    id: 'workers',
    title: 'Scaling with workers',
    description: `The canonical job with ${formatCount(scale.scalingRecords)} records and 1 to 8 workers (cores: see Method).`,
    xLabel: 'workers',
    compareTo: ['batched'],
    entries,
  };
}

function recordSizeSuite(scale: BenchScale): SuiteResult {
  const entries = RECORD_SIZES.flatMap((size) => {
    const chunks = Math.min(scale.recordSizeMaxRecords, Math.floor(scale.recordSizeMaxBytes / size));
    const line = { chunkBytes: size, lineBytes: size, chunkType: 'string' } as const;
    const workload: StreamWorkload = { kind: 'stream', ...line, chunks, workers: 2 };
    const group = `${formatBytes(size)} records`;
    return [
      entry(group, 'subfeed', 'subfeed', { contender: 'subfeed', workload, x: size }),
      entry(group, 'batched', 'batched feeder', { contender: 'batched-feeder', workload, x: size }),
    ];
  });
  const limits = `${formatCount(scale.recordSizeMaxRecords)} records or ${formatBytes(scale.recordSizeMaxBytes)}`;
  return {
    id: 'record-size',
    title: 'Scaling with record size',
    description: `One text line per record on stdin, 2 workers running \`cat\`; at most ${limits} per run.`,
    xLabel: 'record size',
    compareTo: ['batched'],
    entries,
  };
}

/** What an entry runs, and where a chart puts it. */
interface EntryJob {
  contender: ContenderName;
  workload: Workload;
  settings?: ContenderSettings;
  x?: number;
}

function entry(group: string, series: string, label: string, job: EntryJob): EntryResult {
  const { contender, workload, settings = {}, x } = job;
  const [records, bytes] = [recordCount(workload), payloadBytes(workload)];
  return { group, x, series, label, contender, workload, settings, records, bytes, runs: [] };
}
