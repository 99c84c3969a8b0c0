import type { BenchReport } from './report';

/**
 * Two small SVG charts, written by hand (no chart library): lifecycles per second per row with the
 * ceiling marked and p50/p99 latencies per operation; and the shard model.
 */
const n = (value: number) => Math.round(value * 10) / 10;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colors = { bar: '#3b6ea5', ceiling: '#c0392b', p50: '#6aa84f', p99: '#e69138', grid: '#dddddd' };

export function throughputSvg(report: BenchReport): string {
  const rows = report.rows;
  const width = 1060;
  const left = 430;
  const barArea = width - left - 90;
  const rowHeight = 34;
  const top = 50;
  const chartHeight = top + rows.length * rowHeight + 20;
  const max = Math.max(1, ...rows.map((r) => r.result?.lifecyclesPerSecond ?? 0));
  const ceiling = rows.find((r) => r.name === 'ceiling')?.result?.lifecyclesPerSecond;
  const x = (value: number) => left + (value / max) * barArea;
  const parts: string[] = [];
  const o = report.options;
  parts.push(
    `<text x="10" y="22" font-size="15" font-weight="bold">Message lifecycles per second (send, receive, delete)</text>`,
    `<text x="10" y="40" font-size="11" fill="#555">${escapeXml(
      `${o.messages} per row, concurrency ${o.concurrency}, ${o.bodyBytes}-byte bodies, ${report.startedAt}`,
    )}</text>`,
  );
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    parts.push(
      `<text x="${left - 8}" y="${y + 20}" font-size="12" text-anchor="end">${escapeXml(row.label)}</text>`,
    );
    const value = row.result?.lifecyclesPerSecond;
    if (value === undefined) {
      parts.push(`<text x="${left + 4}" y="${y + 20}" font-size="12" fill="#888">not available</text>`);
      return;
    }
    const ratio = row.ratioToCeiling === undefined ? '' : ` (${row.ratioToCeiling.toFixed(2)}x)`;
    parts.push(
      `<rect x="${left}" y="${y + 6}" width="${n(Math.max(1, x(value) - left))}" height="20" fill="${colors.bar}"/>`,
      `<text x="${n(x(value) + 6)}" y="${y + 20}" font-size="12">${value.toFixed(0)}${ratio}</text>`,
    );
  });
  if (ceiling) {
    parts.push(
      `<line x1="${n(x(ceiling))}" x2="${n(x(ceiling))}" y1="${top}" y2="${top + rows.length * rowHeight}" stroke="${colors.ceiling}" stroke-dasharray="4 3"/>`,
    );
  }

  // Latency panel: p50 and p99 per operation and row.
  const measured = rows.filter((r) => r.result);
  const ops = ['send', 'receive', 'delete'] as const;
  const panelTop = chartHeight + 30;
  const groupHeight = ops.length * 12 + 14;
  const maxLatency = Math.max(1, ...measured.flatMap((r) => ops.map((op) => r.result!.latency[op].p99)));
  const lx = (ms: number) => left + (ms / maxLatency) * barArea;
  parts.push(
    `<text x="10" y="${panelTop - 8}" font-size="15" font-weight="bold">Latency per operation, ms</text>`,
    `<rect x="${left}" y="${panelTop - 20}" width="10" height="10" fill="${colors.p50}"/><text x="${left + 14}" y="${panelTop - 11}" font-size="11">p50</text>`,
    `<rect x="${left + 50}" y="${panelTop - 20}" width="10" height="10" fill="${colors.p99}"/><text x="${left + 64}" y="${panelTop - 11}" font-size="11">p99</text>`,
  );
  measured.forEach((row, i) => {
    const y0 = panelTop + i * groupHeight;
    parts.push(
      `<text x="${left - 8}" y="${y0 + 12}" font-size="12" text-anchor="end">${escapeXml(row.label)}</text>`,
    );
    ops.forEach((op, k) => {
      const y = y0 + k * 12;
      const { p50, p99 } = row.result!.latency[op];
      parts.push(
        `<text x="${left - 8}" y="${y + 24}" font-size="9" fill="#777" text-anchor="end">${op}</text>`,
        `<rect x="${left}" y="${y + 16}" width="${n(Math.max(1, lx(p99) - left))}" height="9" fill="${colors.p99}"/>`,
        `<rect x="${left}" y="${y + 16}" width="${n(Math.max(1, lx(p50) - left))}" height="9" fill="${colors.p50}"/>`,
        `<text x="${n(lx(p99) + 4)}" y="${y + 24}" font-size="9">${p50.toFixed(1)} / ${p99.toFixed(1)}</text>`,
      );
    });
  });
  const height = panelTop + measured.length * groupHeight + 30;
  return svg(width, height, parts);
}

export function shardsSvg(report: BenchReport): string {
  const model = report.shards;
  const width = 720;
  const height = 420;
  const left = 70;
  const bottom = height - 50;
  const top = 50;
  const right = width - 30;
  const maxShards = model.maxShards;
  const maxRate = Math.max(model.target * 1.2, ...model.rows.map((r) => r.idealPerSecond));
  const x = (shards: number) => n(left + (shards / maxShards) * (right - left));
  const y = (rate: number) => n(bottom - (rate / maxRate) * (bottom - top));
  const parts: string[] = [
    `<text x="10" y="22" font-size="15" font-weight="bold">Throughput against shards (1,000 WCU/s per index key, ${model.indexUnitsPerLifecycle} index WCU per lifecycle)</text>`,
  ];
  for (let rate = 0; rate <= maxRate; rate += 2_000) {
    parts.push(
      `<line x1="${left}" x2="${right}" y1="${y(rate)}" y2="${y(rate)}" stroke="${colors.grid}"/>`,
      `<text x="${left - 6}" y="${y(rate) + 4}" font-size="10" text-anchor="end">${rate.toLocaleString('en-US')}</text>`,
    );
  }
  for (let s = 0; s <= maxShards; s += 8) {
    parts.push(`<text x="${x(s)}" y="${bottom + 16}" font-size="10" text-anchor="middle">${s}</text>`);
  }
  parts.push(
    `<text x="${(left + right) / 2}" y="${bottom + 34}" font-size="11" text-anchor="middle">shards</text>`,
    `<line x1="${left}" x2="${right}" y1="${y(model.target)}" y2="${y(model.target)}" stroke="${colors.ceiling}" stroke-dasharray="5 4"/>`,
    `<text x="${left + 6}" y="${y(model.target) - 6}" font-size="11" fill="${colors.ceiling}">${model.target.toLocaleString('en-US')} messages/s: ${model.shardsForTargetIdeal} shards ideal, ${model.shardsForTargetSimulated} with random placement</text>`,
  );
  const line = (key: 'idealPerSecond' | 'simulatedPerSecond', color: string, label: string, dy: number) => {
    const points = [`${x(0)},${y(0)}`, ...model.rows.map((r) => `${x(r.shards)},${y(r[key])}`)].join(' ');
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"/>`,
      ...model.rows.map((r) => `<circle cx="${x(r.shards)}" cy="${y(r[key])}" r="3" fill="${color}"/>`),
      `<rect x="${left + 10}" y="${top + dy - 9}" width="10" height="10" fill="${color}"/><text x="${left + 26}" y="${top + dy}" font-size="11">${label}</text>`,
    );
  };
  line('idealPerSecond', colors.bar, 'perfect balance', 4);
  line(
    'simulatedPerSecond',
    colors.p99,
    'random shard per message, busiest shard within limit 99% of seconds',
    20,
  );
  return svg(width, height, parts);
}

function svg(width: number, height: number, parts: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
