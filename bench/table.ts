/**
 * The console view of a run: one table per suite (medians, ratios to the suite's baselines,
 * peak RSS), then the targets with PASS/FAIL.
 * @module
 */
import { NODE_FREE_CONTENDERS } from './contenders/index.js';
import { formatRate, formatRatio, formatRss, formatThroughput, textTable } from './format.js';
import type { BenchResults, EntryResult, SuiteResult, TargetResult } from './results.js';
import { baselineRate, groupsOf } from './summary.js';
import { PYTHON_REFERENCE_RATE } from './targets.js';

/** Column header of a ratio to `series`. */
export function ratioHeader(series: string): string {
  return `÷ ${series}`;
}

/** The cells of one entry's row: label, rates, ratios, RSS, runs. */
export function entryCells(suite: SuiteResult, entry: EntryResult): string[] {
  const summary = entry.summary;
  if (!summary) {
    const why = entry.skipped ? `skipped: ${entry.skipped}` : `failed: ${entry.errors?.[0] ?? 'no run'}`;
    return [entry.label, why];
  }
  const ratios = suite.compareTo.map((series) => {
    const baseline = baselineRate(suite, entry.group, series);
    return baseline ? formatRatio(summary.recordsPerSecond / baseline) : '–';
  });
  return [
    entry.label,
    formatRate(summary.recordsPerSecond),
    formatThroughput(summary.bytesPerSecond),
    ...ratios,
    NODE_FREE_CONTENDERS.has(entry.contender) ? 'n/a' : formatRss(summary.rssKiB),
    formatRss(summary.childrenRssKiB),
    `${entry.runs.length}${entry.errors?.length ? ` (${entry.errors.length} failed)` : ''}`,
  ];
}

/** Headers matching entryCells. */
export function entryHeaders(suite: SuiteResult): string[] {
  return ['contender', 'records/s', 'MB/s', ...suite.compareTo.map(ratioHeader), 'peak RSS', 'children RSS', 'runs'];
}

/** Series of a suite in first-seen order. */
function seriesOf(suite: SuiteResult): string[] {
  return [...new Set(suite.entries.map((entry) => entry.series))];
}

/**
 * A scaling suite as one table: a row per group (worker count, record size), records/s of
 * every series side by side, then subfeed's ratio to each baseline and its MB/s and RSS.
 */
export function pivotTable(suite: SuiteResult): { headers: string[]; rows: string[][] } {
  const series = seriesOf(suite);
  const headers = [suite.xLabel ?? 'group', ...series.map((name) => `${name} records/s`)];
  headers.push(...suite.compareTo.map((name) => `subfeed ${ratioHeader(name)}`), 'subfeed MB/s', 'subfeed peak RSS');
  const rows = groupsOf(suite).map((group) => {
    const inGroup = suite.entries.filter((entry) => entry.group === group);
    const summaryOf = (name: string) => inGroup.find((entry) => entry.series === name)?.summary;
    const subfeed = summaryOf('subfeed');
    const ratios = suite.compareTo.map((name) => {
      const baseline = baselineRate(suite, group, name);
      return subfeed && baseline ? formatRatio(subfeed.recordsPerSecond / baseline) : '–';
    });
    const rates = series.map((name) => {
      const summary = summaryOf(name);
      return summary ? formatRate(summary.recordsPerSecond) : '–';
    });
    const subfeedExtras = subfeed ? [formatThroughput(subfeed.bytesPerSecond), formatRss(subfeed.rssKiB)] : ['–', '–'];
    return [group, ...rates, ...ratios, ...subfeedExtras];
  });
  return { headers, rows };
}

/** One suite as text: title, description, and one pivot table (scaling suites) or a table per group. */
export function suiteText(suite: SuiteResult): string {
  const parts = [`${suite.title}: ${suite.description}`];
  if (suite.xLabel) {
    const { headers, rows } = pivotTable(suite);
    return `${parts[0]}\n${textTable(headers, rows)}`;
  }
  for (const group of groupsOf(suite)) {
    const rows = suite.entries.filter((entry) => entry.group === group).map((entry) => entryCells(suite, entry));
    parts.push(`\n[${group}]\n${textTable(entryHeaders(suite), rows)}`);
  }
  return parts.join('\n');
}

/** The targets as "PASS  description  measured (required)" lines. */
export function targetsText(targets: TargetResult[]): string {
  const rows = targets.map((target) => [
    target.status,
    target.description,
    target.measured,
    target.required,
    target.note ?? '',
  ]);
  return textTable(['', 'target', 'measured', 'required', 'note'], rows, ['left', 'left', 'right', 'right', 'left']);
}

/** The whole console report of a run. */
export function resultsText(results: BenchResults): string {
  const canonical = results.suites.find((suite) => suite.id === 'canonical');
  const subfeed = canonical?.entries.find((entry) => entry.series === 'subfeed')?.summary;
  const python = subfeed
    ? `Python reference (quoted in issue 4, not measured here): ${formatRate(PYTHON_REFERENCE_RATE)}; subfeed on the ` +
      `canonical job: ${formatRate(subfeed.recordsPerSecond)}, ${formatRatio(subfeed.recordsPerSecond / PYTHON_REFERENCE_RATE)} the reference`
    : '';
  const { machine } = results;
  return [
    `subfeed bench (${results.mode}, ${results.rounds} interleaved rounds, medians) — ${machine.nproc} cores, ` +
      `node ${machine.node}, load ${machine.loadBefore.toFixed(1)} → ${machine.loadAfter.toFixed(1)}`,
    ...results.suites.map(suiteText),
    python,
    `Targets (issue 4)\n${targetsText(results.targets)}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}
