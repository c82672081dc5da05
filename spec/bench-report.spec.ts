import { renderChartsSvg } from '../bench/svg.js';
import { buildCharts, renderPerformanceMarkdown } from '../bench/report.js';
import type { BenchResults, EntryResult, SuiteResult } from '../bench/results.js';
import { summarize } from '../bench/summary.js';
import { evaluateTargets } from '../bench/targets.js';

/** An entry of the canonical workload with fixed run times (no measuring in tests). */
function entry(series: string, group: string, seconds: number[], x?: number): EntryResult {
  const result: EntryResult = {
    group,
    x,
    series,
    label: series,
    contender: series === 'subfeed' ? 'subfeed' : 'batched-feeder',
    workload: { kind: 'canonical', records: 1_000_000, workers: x ?? 2 },
    settings: {},
    records: 1_000_000,
    bytes: 36_000_000,
    runs: seconds.map((run) => ({ seconds: run, rssKiB: 80 * 1024, childrenRssKiB: 4 * 1024 })),
  };
  result.summary = summarize(result);
  return result;
}

function fixedResults(): BenchResults {
  const canonical: SuiteResult = {
    id: 'canonical',
    title: 'Canonical job',
    description: 'paste | pipes',
    compareTo: ['batched', 'source-only'],
    entries: [entry('subfeed', 'g', [0.5, 0.4, 0.6]), entry('subfeed-rss', 'g', [1]), entry('batched', 'g', [0.4]), entry('source-only', 'g', [0.5])],
  };
  const workers: SuiteResult = {
    id: 'workers',
    title: 'Scaling with workers',
    description: 'workers',
    xLabel: 'workers',
    compareTo: ['batched'],
    entries: [1, 2, 4, 8].flatMap((count) => [entry('subfeed', `${count}`, [1 / count], count), entry('batched', `${count}`, [0.5], count)]),
  };
  const suites = [canonical, workers];
  return {
    schema: 1,
    mode: 'quick',
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:01:00.000Z',
    rounds: 3,
    machine: { nproc: 2, node: 'v20.0.0', cpu: 'test cpu', kernel: 'Linux 6', memoryGiB: 4, loadBefore: 0.5, loadAfter: 1 },
    pythonReference: { recordsPerSecond: 11_000, source: 'issue 4' },
    suites,
    targets: evaluateTargets(suites),
  };
}

/** Every opened element is closed in order (a well-formedness check without an XML parser). */
function unbalancedTags(svg: string): string[] {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (!closing) open.push(name);
    else if (open.pop() !== name) return [name];
  }
  return open;
}

describe('bench report', () => {
  test('the chart is one well-formed SVG with a line per measured series', () => {
    const svg = renderChartsSvg(buildCharts(fixedResults()));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(unbalancedTags(svg)).toEqual([]);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    // workers panel: subfeed and batched; the record-size panel has no data.
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('no data');
  });

  test('the markdown page has the targets, a table per suite, the chart and the method', () => {
    const markdown = renderPerformanceMarkdown(fixedResults());
    expect(markdown).toContain('![records/s vs workers and vs record size](img/performance.svg)');
    expect(markdown).toMatch(/\| \*\*PASS\*\* \| canonical: subfeed vs source only \| 1\.00× \| ≥ 0\.75× \|/);
    expect(markdown).toMatch(/\| \*\*FAIL\*\* \| canonical: subfeed vs best hand-written batched feeder \| 0\.80× \|/);
    expect(markdown).toContain('| workers | subfeed records/s | batched records/s | subfeed ÷ batched |');
    expect(markdown).toContain('## Method');
    expect(markdown).toContain('| cores (`nproc`) | 2 |');
    expect(markdown).toContain('npm run bench -- --quick');
    expect(markdown).not.toMatch(/NaN|undefined/);
  });
});
