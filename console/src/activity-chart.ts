import type { MinuteStats } from '../../functions/dialects/rest/client-types';
import { messageStateLabels, messageStates } from '../../functions/dialects/rest/message-states';
import { h, svg } from './dom';
import { clockTime, count } from './format';

/**
 * The queue page's chart, in SVG: depth (visible, in flight, delayed; sampled by the sweeper) and
 * per-minute activity (sent, received, deleted, dead-lettered). Each series has its own colour
 * and dash pattern, so the chart reads without colour too; screen readers get a summary.
 */
interface Series {
  key: keyof MinuteStats;
  label: string;
  className: string;
}

const depthSeries: Series[] = messageStates.map((state, n) => ({
  key: state,
  label: messageStateLabels[state],
  className: `s${n + 1}`,
}));

const activitySeries: Series[] = [
  { key: 'sent', label: 'Sent', className: 's1' },
  { key: 'received', label: 'Received', className: 's2' },
  { key: 'deleted', label: 'Deleted', className: 's4' },
  { key: 'deadLettered', label: 'Dead-lettered', className: 's5' },
];

const width = 640;
const height = 180;
const margin = { top: 12, right: 12, bottom: 26, left: 44 };

export function activityCharts(minutes: MinuteStats[]): HTMLElement {
  const totals = Object.fromEntries(
    activitySeries.map((series) => [
      series.key,
      minutes.reduce((sum, m) => sum + Number(m[series.key] ?? 0), 0),
    ]),
  );
  const latestDepth = [...minutes].reverse().find((m) => m.visible !== undefined);
  const depthSummary = latestDepth
    ? `Latest sample at ${clockTime(new Date(latestDepth.minute))}: ${count(latestDepth.visible)} visible, ` +
      `${count(latestDepth.inFlight)} in flight, ${count(latestDepth.delayed)} delayed.`
    : 'No depth samples yet (the sweeper samples depth once a minute).';
  const activitySummary =
    `In the last ${minutes.length} minutes: ${count(totals.sent)} sent, ${count(totals.received)} received, ` +
    `${count(totals.deleted)} deleted, ${count(totals.deadLettered)} dead-lettered.`;
  return h(
    'div',
    { class: 'charts' },
    panel('Depth', depthSeries, minutes, depthSummary),
    panel('Messages per minute', activitySeries, minutes, activitySummary),
  );
}

function panel(title: string, series: Series[], minutes: MinuteStats[], summary: string): HTMLElement {
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const values = series.flatMap((s) =>
    minutes.map((m) => m[s.key]).filter((v): v is number => typeof v === 'number'),
  );
  const max = niceMax(Math.max(1, ...values));
  const x = (index: number) =>
    margin.left + (minutes.length <= 1 ? 0 : (index / (minutes.length - 1)) * plotWidth);
  const y = (value: number) => margin.top + plotHeight - (value / max) * plotHeight;

  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${title}. ${summary}`,
    class: 'chart',
    preserveAspectRatio: 'xMidYMid meet',
  });
  for (const tick of [0, max / 2, max]) {
    chart.append(
      svg('line', { x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick), class: 'grid' }),
      svg('text', { x: margin.left - 6, y: y(tick) + 4, class: 'axis', 'text-anchor': 'end' }, count(tick)),
    );
  }
  if (minutes.length > 0) {
    const labelAt = [0, Math.floor((minutes.length - 1) / 2), minutes.length - 1];
    for (const index of new Set(labelAt)) {
      const anchor = index === 0 ? 'start' : index === minutes.length - 1 ? 'end' : 'middle';
      chart.append(
        svg(
          'text',
          { x: x(index), y: height - 6, class: 'axis', 'text-anchor': anchor },
          clockTime(new Date(minutes[index]!.minute)),
        ),
      );
    }
  }
  for (const s of series) {
    const points = minutes
      .map((m, index) =>
        typeof m[s.key] === 'number' ? `${x(index).toFixed(1)},${y(m[s.key] as number).toFixed(1)}` : '',
      )
      .filter(Boolean);
    if (points.length === 1) {
      const [px, py] = points[0]!.split(',');
      chart.append(svg('circle', { cx: px!, cy: py!, r: 3, class: `point ${s.className}` }));
    } else if (points.length > 1) {
      chart.append(svg('polyline', { points: points.join(' '), class: `line ${s.className}` }));
    }
  }
  return h(
    'figure',
    { class: 'chart-panel' },
    h('figcaption', {}, h('span', { class: 'chart-title' }, title), legend(series)),
    chart,
    h('p', { class: 'chart-summary' }, summary),
  );
}

function legend(series: Series[]): HTMLElement {
  return h(
    'ul',
    { class: 'legend' },
    series.map((s) =>
      h('li', {}, h('span', { class: `swatch ${s.className}`, 'aria-hidden': 'true' }), s.label),
    ),
  );
}

/** 1, 2, 5 times a power of ten: axis labels a reader can take in at a glance. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}
