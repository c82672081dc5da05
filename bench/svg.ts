/**
 * A small hand-rolled SVG line chart (no dependency): panels side by side, log or linear
 * axes, one polyline with markers per series, and a legend under each panel.
 * @module
 */

/** One line on a chart. */
export interface ChartSeries {
  name: string;
  color: string;
  /** Dashed: a reference line rather than a measured contender. */
  dashed?: boolean;
  points: Array<{ x: number; y: number }>;
}

/** One panel. x is always logarithmic (worker counts and record sizes double); y may be either. */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  yScale: 'linear' | 'log';
  xTicks: Array<{ value: number; label: string }>;
  series: ChartSeries[];
}

const PANEL_WIDTH = 460;
const PANEL_HEIGHT = 360;
const MARGIN = { left: 64, right: 36, top: 36, bottom: 96 };
const LEGEND_LINE_HEIGHT = 16;

/** The panels side by side as one SVG document. */
export function renderChartsSvg(charts: LineChart[]): string {
  const width = PANEL_WIDTH * charts.length;
  const panels = charts.map((chart, index) => `<g transform="translate(${index * PANEL_WIDTH},0)">\n${renderPanel(chart)}\n</g>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_HEIGHT}" viewBox="0 0 ${width} ${PANEL_HEIGHT}"` +
      ' font-family="sans-serif" font-size="11">',
    `<rect width="${width}" height="${PANEL_HEIGHT}" fill="#ffffff"/>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}

/** Maps a data value to a pixel coordinate along one axis. */
type Scale = (value: number) => number;

function renderPanel(chart: LineChart): string {
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const xValues = chart.xTicks.map((tick) => tick.value);
  const yValues = chart.series.flatMap((series) => series.points.map((point) => point.y)).filter((y) => y > 0);
  const title = text(MARGIN.left, 20, chart.title, 'start', 'font-size="13" font-weight="bold"');
  if (yValues.length === 0 || xValues.length === 0) {
    return [title, text(PANEL_WIDTH / 2, PANEL_HEIGHT / 2, 'no data', 'middle')].join('\n');
  }
  const x = logScale(Math.min(...xValues), Math.max(...xValues), MARGIN.left, MARGIN.left + plotWidth);
  const yTicks = chart.yScale === 'log' ? logTicks(yValues) : linearTicks(yValues);
  const yRange: [number, number] = [yTicks[0], yTicks[yTicks.length - 1]];
  const bottom = MARGIN.top + plotHeight;
  const y = chart.yScale === 'log' ? logScale(...yRange, bottom, MARGIN.top) : linearScale(...yRange, bottom, MARGIN.top);
  return [
    title,
    ...yTicks.map((tick) => gridLine(MARGIN.left, MARGIN.left + plotWidth, y(tick), formatTick(tick))),
    ...chart.xTicks.map((tick) => text(x(tick.value), bottom + 16, tick.label, 'middle')),
    `<line x1="${MARGIN.left}" y1="${bottom}" x2="${MARGIN.left + plotWidth}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}" stroke="#333"/>`,
    text(MARGIN.left + plotWidth / 2, bottom + 34, chart.xLabel, 'middle'),
    text(14, MARGIN.top + plotHeight / 2, chart.yLabel, 'middle', `transform="rotate(-90 14 ${MARGIN.top + plotHeight / 2})"`),
    ...chart.series.map((series) => renderSeries(series, x, y)),
    ...chart.series.map((series, index) => legendItem(series, MARGIN.left, bottom + 52 + index * LEGEND_LINE_HEIGHT)),
  ].join('\n');
}

function renderSeries(series: ChartSeries, x: Scale, y: Scale): string {
  const points = series.points.filter((point) => point.y > 0);
  if (points.length === 0) return '';
  const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
  const path = points.map((point) => `${round(x(point.x))},${round(y(point.y))}`).join(' ');
  const markers = series.dashed
    ? []
    : points.map((point) => `<circle cx="${round(x(point.x))}" cy="${round(y(point.y))}" r="3" fill="${series.color}"/>`);
  return [`<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`, ...markers].join('\n');
}

function legendItem(series: ChartSeries, left: number, top: number): string {
  const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
  return [
    `<line x1="${left}" y1="${top}" x2="${left + 24}" y2="${top}" stroke="${series.color}" stroke-width="2"${dash}/>`,
    text(left + 30, top + 4, series.name, 'start'),
  ].join('\n');
}

function gridLine(left: number, right: number, top: number, label: string): string {
  return [
    `<line x1="${left}" y1="${round(top)}" x2="${right}" y2="${round(top)}" stroke="#e5e5e5"/>`,
    text(left - 6, top + 4, label, 'end'),
  ].join('\n');
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end', extra = ''): string {
  return `<text x="${round(x)}" y="${round(y)}" text-anchor="${anchor}"${extra ? ` ${extra}` : ''}>${escapeXml(content)}</text>`;
}

function logScale(low: number, high: number, from: number, to: number): Scale {
  const span = Math.log(high / low) || 1;
  return (value) => from + ((Math.log(value / low) / span) * (to - from));
}

function linearScale(low: number, high: number, from: number, to: number): Scale {
  const span = high - low || 1;
  return (value) => from + (((value - low) / span) * (to - from));
}

/** Powers of ten around the data (at least two, so the axis has a range). */
export function logTicks(values: number[]): number[] {
  const low = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const ticks: number[] = [];
  for (let tick = low; tick <= high * 1.0001; tick *= 10) ticks.push(tick);
  return ticks.length > 1 ? ticks : [low, low * 10];
}

/** 0 to a round number above the data, in 1-2-5 steps, about five ticks. */
export function linearTicks(values: number[]): number[] {
  const high = Math.max(...values, 1);
  const raw = high / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw)!;
  const ticks: number[] = [];
  for (let tick = 0; tick < high + step; tick += step) ticks.push(tick);
  return ticks;
}

/** 2500000 → "2.5M", 500 → "500". */
function formatTick(value: number): string {
  if (value >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (value >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Escapes text for element content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
