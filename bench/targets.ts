/**
 * The targets, checked against ratios measured in the same run.
 * @module
 */
import { formatCount, formatRatio, formatRss } from './format.js';
import type { SuiteResult, TargetResult } from './results.js';
import { baselineRate, findEntry, groupsOf } from './summary.js';

/** The original Python library on the canonical job, records/s, as quoted in issue 4. */
export const PYTHON_REFERENCE_RATE = 11_000;

/** RSS "flat" from the small to the large canonical job: growth within this fraction. */
const FLAT_RSS_TOLERANCE = 0.1;
const RSS_LIMIT_MIB = 120;
const PYTHON_MINIMUM_RATIO = 300;

/** Every target of issue 4 with its verdict. */
export function evaluateTargets(suites: SuiteResult[]): TargetResult[] {
  const canonical = suites.find((suite) => suite.id === 'canonical');
  const bytes = suites.find((suite) => suite.id === 'bytes');
  const targets: TargetResult[] = [];
  if (canonical) {
    const group = canonical.entries[0].group;
    targets.push(
      ratioTarget('canonical: subfeed vs best hand-written batched feeder', canonical, group, 'batched', 0.9),
      ratioTarget('canonical: subfeed vs source only', canonical, group, 'source-only', 0.75),
      pythonTarget(canonical),
      ...rssTargets(canonical),
    );
  }
  for (const group of bytes ? groupsOf(bytes) : []) {
    targets.push(
      ratioTarget(`bytes (${group}): subfeed vs raw Node pump`, bytes!, group, 'raw-pump', 0.85),
      ratioTarget(`bytes (${group}): subfeed vs GNU parallel`, bytes!, group, 'gnu-parallel', 2),
    );
  }
  return targets;
}

/** subfeed's median records/s over the baseline's, in one group. */
function ratioTarget(description: string, suite: SuiteResult, group: string, baseline: string, minimum: number): TargetResult {
  const required = `≥ ${formatRatio(minimum)}`;
  const subfeed = findEntry(suite, 'subfeed', group)?.summary?.recordsPerSecond;
  const reference = baselineRate(suite, group, baseline);
  const skipped = findEntry(suite, baseline, group)?.skipped;
  if (subfeed === undefined || reference === undefined) {
    return { description, status: 'SKIP', measured: '–', required, note: skipped ?? 'no successful run to compare' };
  }
  const ratio = subfeed / reference;
  return { description, status: ratio >= minimum ? 'PASS' : 'FAIL', measured: formatRatio(ratio), required };
}

function pythonTarget(canonical: SuiteResult): TargetResult {
  const description = 'canonical: subfeed vs the original Python library (quoted 0.011M records/s)';
  const subfeed = findEntry(canonical, 'subfeed')?.summary?.recordsPerSecond;
  const required = `≥ ${PYTHON_MINIMUM_RATIO}×`;
  if (subfeed === undefined) return { description, status: 'SKIP', measured: '–', required, note: 'subfeed did not run' };
  const ratio = subfeed / PYTHON_REFERENCE_RATE;
  return { description, status: ratio >= PYTHON_MINIMUM_RATIO ? 'PASS' : 'FAIL', measured: formatRatio(ratio), required };
}

/** Peak RSS within the limit, and no growth from the smaller to the larger job. */
function rssTargets(canonical: SuiteResult): TargetResult[] {
  const [small, large] = [findEntry(canonical, 'subfeed'), findEntry(canonical, 'subfeed-rss')].sort(
    (a, b) => (a?.records ?? 0) - (b?.records ?? 0),
  );
  const largeRss = large?.summary?.rssKiB;
  const smallRss = small?.summary?.rssKiB;
  const peakDescription = 'canonical: subfeed peak RSS';
  const sizes = `${formatCount(small?.records ?? 0)} to ${formatCount(large?.records ?? 0)} records`;
  const flatDescription = `canonical: subfeed peak RSS flat from ${sizes}`;
  const flatRequired = `growth ≤ ${FLAT_RSS_TOLERANCE * 100}%`;
  if (largeRss === undefined || smallRss === undefined) {
    const note = 'subfeed did not run at both sizes';
    return [
      { description: peakDescription, status: 'SKIP', measured: '–', required: `≤ ${RSS_LIMIT_MIB} MiB`, note },
      { description: flatDescription, status: 'SKIP', measured: '–', required: flatRequired, note },
    ];
  }
  const growth = largeRss / smallRss - 1;
  const peakRss = Math.max(largeRss, smallRss);
  return [
    {
      description: peakDescription,
      status: peakRss <= RSS_LIMIT_MIB * 1024 ? 'PASS' : 'FAIL',
      measured: formatRss(peakRss),
      required: `≤ ${RSS_LIMIT_MIB} MiB`,
    },
    {
      description: flatDescription,
      status: growth <= FLAT_RSS_TOLERANCE ? 'PASS' : 'FAIL',
      measured: `${formatRss(smallRss)} → ${formatRss(largeRss)} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)}%)`,
      required: flatRequired,
    },
  ];
}
