/**
 * From runs to figures: medians of throughput, highest RSS, and the baselines that ratios
 * divide by.
 * @module
 */
import type { EntryResult, EntrySummary, SuiteResult } from './results.js';

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Medians of records/s and bytes/s over the runs; the highest RSS seen in any run. */
export function summarize(entry: EntryResult): EntrySummary | undefined {
  if (entry.runs.length === 0) return undefined;
  return {
    recordsPerSecond: median(entry.runs.map((run) => entry.records / run.seconds)),
    bytesPerSecond: median(entry.runs.map((run) => entry.bytes / run.seconds)),
    rssKiB: Math.max(...entry.runs.map((run) => run.rssKiB)),
    childrenRssKiB: Math.max(...entry.runs.map((run) => run.childrenRssKiB)),
  };
}

/**
 * The baseline of `series` in `group`: its fastest entry's median records/s (with several
 * batch sizes, the best hand-written feeder is the bar). Undefined when it has no result.
 */
export function baselineRate(suite: SuiteResult, group: string, series: string): number | undefined {
  const rates = suite.entries
    .filter((entry) => entry.group === group && entry.series === series && entry.summary)
    .map((entry) => entry.summary!.recordsPerSecond);
  return rates.length ? Math.max(...rates) : undefined;
}

/** The first entry of `series` in `group` (or in any group when `group` is omitted). */
export function findEntry(suite: SuiteResult | undefined, series: string, group?: string): EntryResult | undefined {
  return suite?.entries.find((entry) => entry.series === series && (group === undefined || entry.group === group));
}

/** Group names in first-seen order. */
export function groupsOf(suite: SuiteResult): string[] {
  return [...new Set(suite.entries.map((entry) => entry.group))];
}
