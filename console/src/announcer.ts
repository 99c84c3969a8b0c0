/**
 * One polite live region for the whole console: screen readers hear what changed (a refresh
 * that changed counts, a message sent, redrive progress) without losing their place.
 */
let region: HTMLElement | undefined;

export function announce(text: string): void {
  region ??= document.getElementById('announcer') ?? undefined;
  if (!region) return;
  // Clearing first makes a repeated message be read again.
  region.textContent = '';
  window.setTimeout(() => {
    if (region) region.textContent = text;
  }, 50);
}
