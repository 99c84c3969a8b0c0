import { h } from './dom';
import { clockTime } from './format';

/**
 * Runs a refresh every few seconds while a page is open, with a button to pause it (content that
 * updates by itself must be stoppable) and the time of the last update.
 */
export interface Refresher {
  element: HTMLElement;
  stop(): void;
  now(): Promise<void>;
}

export function refresher(refresh: () => Promise<void>, everySeconds: number): Refresher {
  let timer: number | undefined;
  let running = false;
  let paused = false;
  const time = h('span', { class: 'updated' }, 'Loading…');
  const toggle = h(
    'button',
    { type: 'button', class: 'secondary small', 'aria-pressed': 'false' },
    'Pause live refresh',
  );
  toggle.addEventListener('click', () => {
    paused = !paused;
    toggle.setAttribute('aria-pressed', String(paused));
    toggle.textContent = paused ? 'Resume live refresh' : 'Pause live refresh';
    if (!paused) void run();
  });

  async function run(): Promise<void> {
    if (running) return;
    running = true;
    try {
      await refresh();
      time.textContent = `Updated ${clockTime(new Date())}${paused ? '' : `, live every ${everySeconds} s`}`;
    } catch {
      time.textContent = 'Update failed; retrying';
    } finally {
      running = false;
    }
  }

  timer = window.setInterval(() => {
    if (!paused && document.visibilityState === 'visible') void run();
  }, everySeconds * 1000);
  void run();
  return {
    element: h('div', { class: 'refresher' }, time, toggle),
    stop: () => {
      if (timer !== undefined) window.clearInterval(timer);
      timer = undefined;
    },
    now: run,
  };
}
