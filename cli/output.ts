/**
 * Everything the tool prints. With --json, stdout carries exactly one JSON document (or one per line
 * for streams such as tail) and nothing else; people get tables. Notes and progress go to stderr.
 */
export interface Output {
  readonly json: boolean;
  /** The command's result: JSON as is, or the human rendering. */
  result(value: unknown, human: () => string): void;
  /** One JSON document per line (a stream), or a human line. */
  line(value: unknown, human: string): void;
  /** A note for a person (stderr); silent with --json. */
  note(text: string): void;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    result(value, human) {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else {
        const text = human();
        if (text) stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
    line(value, human) {
      stdout.write(json ? `${JSON.stringify(value)}\n` : `${human}\n`);
    },
    note(text) {
      if (!json) stderr.write(`${text}\n`);
    },
  };
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  align?: 'left' | 'right';
}

/** A plain-text table: padded columns, numbers right-aligned, no colours (they break pipes). */
export function table<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((row) => columns.map((column) => String(column.value(row) ?? '')));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((row) => displayWidth(row[i] ?? ''))),
  );
  const render = (values: string[]) =>
    values
      .map((value, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(value)));
        return columns[i]?.align === 'right' ? pad + value : i === values.length - 1 ? value : value + pad;
      })
      .join('  ')
      .trimEnd();
  return [render(columns.map((c) => c.header)), ...cells.map(render)].join('\n');
}

const displayWidth = (text: string) => [...text].length;

/** A body on one table line: control characters shown, long ones shortened. */
export function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

const bars = '▁▂▃▄▅▆▇█';

/** A sparkline: one block per value, scaled to the largest; a gap where nothing was measured. */
export function sparkline(values: (number | undefined)[]): string {
  const max = Math.max(0, ...values.filter((v): v is number => v !== undefined));
  return values
    .map((value) =>
      value === undefined ? ' ' : max === 0 ? bars[0] : bars[Math.min(7, Math.round((value / max) * 7))],
    )
    .join('');
}

/** `2026-11-22T08:07:55.123Z` -> `2026-11-22 08:07:55` (UTC, as the service reports). */
export function shortTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
}
