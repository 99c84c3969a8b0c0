/** How numbers, times and durations read in the console. */
const numberFormat = new Intl.NumberFormat('en');

export const count = (value: number | undefined) => (value === undefined ? '–' : numberFormat.format(value));

/** 1.5K, 100K, 2M: axis labels that fit a narrow margin. */
const compactFormat = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
export const compactCount = (value: number) => compactFormat.format(value);

/**
 * The age of a queue's oldest visible message. The API says 0 when nothing is visible, which is
 * no age at all: a dash, not "0 s".
 */
export function oldestMessageAge(
  messages: { visible: number; oldestMessageAgeSeconds?: number } | undefined,
) {
  return messages && messages.visible > 0 ? duration(messages.oldestMessageAgeSeconds) : '–';
}

/** 0 s, 42 s, 3 min 5 s, 2 h 10 min, 3 d 4 h. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '–';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A local date and time, to the second. */
export function dateTime(iso: string | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { hour12: false });
}

export const clockTime = (date: Date) =>
  date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
