/**
 * Number formatting and the plain-text table, shared by the console output and the report.
 * @module
 */

const MiB = 1024 * 1024;

/** 1000000 → "1M", 250000 → "250k". */
export function formatCount(value: number): string {
  if (value >= 1e6 && value % 1e5 === 0) return `${value / 1e6}M`;
  if (value >= 1e3 && value % 100 === 0) return `${value / 1e3}k`;
  return String(value);
}

/** 65536 → "64 KiB", 16 → "16 B". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** Records per second, three significant digits: "612k/s", "3.41M/s". */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toPrecision(3)}M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toPrecision(3)}k/s`;
  return `${perSecond.toPrecision(3)}/s`;
}

/** Bytes per second as MB/s (10^6, as dd and pv print it). */
export function formatThroughput(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e6).toPrecision(3)} MB/s`;
}

/** A ratio such as "0.91×". */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

/** KiB as "72 MiB" (or "–" for nothing seen). */
export function formatRss(kiB: number): string {
  return kiB > 0 ? `${(kiB / 1024).toFixed(0)} MiB` : '–';
}

/** Column alignment of a text table. */
export type Alignment = 'left' | 'right';

/** A plain-text table; by default the first column is left-aligned and the others right-aligned. */
export function textTable(headers: string[], rows: string[][], alignments: Alignment[] = []): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const alignmentOf = (column: number) => alignments[column] ?? (column === 0 ? 'left' : 'right');
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (alignmentOf(column) === 'left' ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
