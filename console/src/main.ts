import { onAuthenticationNeeded } from './api';
import { forgetCredentials, loadCredentials } from './credentials';
import { h, replaceChildren } from './dom';
import { archivePage } from './pages/archive';
import { consumersPage } from './pages/consumers';
import { deadLettersPage } from './pages/dead-letters';
import type { Page } from './pages/page';
import { queueListPage } from './pages/queue-list';
import { queuePage } from './pages/queue-page';
import { signInPage } from './pages/sign-in';
import { topicListPage } from './pages/topic-list';
import { topicPage } from './pages/topic-page';

/**
 * The console's entry: hash routes to pages, the account area (sign in / sign out), and the
 * switch to the sign-in form whenever the API refuses a call for want of credentials.
 */
const routes: { pattern: RegExp; page: Page; title: (params: Record<string, string>) => string }[] = [
  { pattern: /^#?\/?$/, page: queueListPage, title: () => 'Queues' },
  { pattern: /^#\/queues\/(?<name>[^/]+)$/, page: queuePage, title: (p) => p.name! },
  {
    pattern: /^#\/queues\/(?<name>[^/]+)\/dead-letters$/,
    page: deadLettersPage,
    title: (p) => `Dead letters in ${p.name}`,
  },
  {
    pattern: /^#\/queues\/(?<name>[^/]+)\/archive$/,
    page: archivePage,
    title: (p) => `Archive of ${p.name}`,
  },
  {
    pattern: /^#\/queues\/(?<name>[^/]+)\/consumers$/,
    page: consumersPage,
    title: (p) => `Consumers of ${p.name}`,
  },
  { pattern: /^#\/topics\/?$/, page: topicListPage, title: () => 'Topics' },
  { pattern: /^#\/topics\/(?<name>[^/]+)$/, page: topicPage, title: (p) => `Topic ${p.name!}` },
];

const main = document.getElementById('main')!;
const account = document.getElementById('account')!;
let stopPage: (() => void) | undefined;
let signingIn = false;

function route(): void {
  stopPage?.();
  stopPage = undefined;
  signingIn = false;
  paintAccount();
  const hash = location.hash;
  if (hash === '#/sign-in') {
    showSignIn(undefined);
    return;
  }
  for (const candidate of routes) {
    const match = candidate.pattern.exec(hash);
    if (!match) continue;
    const params = decodeParams(match.groups ?? {});
    if (!params) break;
    document.title = `${candidate.title(params)} · Queue console`;
    stopPage = candidate.page(main, params) ?? undefined;
    focusHeading();
    return;
  }
  document.title = 'Not found · Queue console';
  replaceChildren(
    main,
    h('h1', { tabindex: -1 }, 'Not found'),
    h('p', {}, h('a', { href: '#/' }, 'Back to the queues')),
  );
  focusHeading();
}

/** A hand-typed or truncated hash (`%E0%A4%A`) is no route: undefined, and the Not found page. */
function decodeParams(groups: Record<string, string | undefined>): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    for (const [name, value] of Object.entries(groups)) params[name] = decodeURIComponent(value ?? '');
  } catch {
    return undefined;
  }
  return params;
}

/** After a navigation, focus the page's heading so screen readers start at the new page. */
let firstRoute = true;
function focusHeading(): void {
  const heading = main.querySelector('h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  if (!firstRoute) heading.focus();
  firstRoute = false;
}

function showSignIn(reason: unknown): void {
  if (signingIn) return;
  signingIn = true;
  stopPage?.();
  stopPage = undefined;
  document.title = 'Sign in · Queue console';
  signInPage(main, reason, () => {
    if (location.hash === '#/sign-in') location.hash = '#/';
    else route();
  });
}

function paintAccount(): void {
  const credentials = loadCredentials();
  if (!credentials) {
    replaceChildren(account, h('a', { href: '#/sign-in' }, 'Sign in'));
    return;
  }
  const signOut = h('button', { type: 'button', class: 'secondary small' }, 'Sign out');
  signOut.addEventListener('click', () => {
    forgetCredentials();
    route();
  });
  replaceChildren(
    account,
    h('span', { class: 'who' }, 'Signed in as ', h('code', {}, credentials.accessKeyId)),
    signOut,
  );
}

onAuthenticationNeeded((problem) => showSignIn(problem));
window.addEventListener('hashchange', route);
route();
