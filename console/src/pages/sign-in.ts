import { ApiProblem, api } from '../api';
import { forgetCredentials, loadCredentials, regionOfHost, saveCredentials } from '../credentials';
import { h, replaceChildren } from '../dom';
import { checkedForm, field, textInput } from '../form-fields';
import { problemText } from '../problem-view';

/**
 * Asks for the credentials the console signs with (SigV4, service execute-api): an access key of
 * the deployed API's AWS account, or locally one from `npm run keys -- create`. They are kept in
 * this tab's sessionStorage only, and checked with one call before the console goes on.
 */
export function signInPage(main: HTMLElement, reason: unknown, done: () => void): void {
  const stored = loadCredentials();
  const keyId = field(
    'accessKeyId',
    'Access key id',
    textInput({ required: true, value: stored?.accessKeyId ?? '' }),
  );
  const secret = field(
    'secretAccessKey',
    'Secret access key',
    h('input', { type: 'password', required: true, autocomplete: 'off' }),
  );
  const token = field(
    'sessionToken',
    'Session token (optional)',
    h('input', { type: 'password', autocomplete: 'off' }),
    'Only for temporary credentials',
  );
  const region = field(
    'region',
    'Region',
    textInput({
      required: true,
      pattern: '[a-z0-9\\-]{1,40}',
      value: stored?.region ?? regionOfHost(location.hostname) ?? 'us-east-1',
    }),
  );
  const form = checkedForm({
    attributes: { class: 'card sign-in' },
    fields: [keyId, secret, token, region],
    submitLabel: 'Sign in',
    read: () => ({
      accessKeyId: keyId.input.value.trim(),
      secretAccessKey: secret.input.value,
      ...(token.input.value.trim() ? { sessionToken: token.input.value.trim() } : {}),
      region: region.input.value.trim(),
    }),
    // Saved before the one call that checks them: the call is signed with them.
    submit: async (credentials) => {
      saveCredentials(credentials);
      await api.listQueues({ limit: 1 });
      done();
    },
    failed: (error, summary) => {
      if (error instanceof ApiProblem && error.needsCredentials) forgetCredentials();
      summary.hidden = false;
      summary.textContent = `Signing in failed: ${problemText(error)}`;
      keyId.input.focus();
    },
  });
  replaceChildren(
    main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, 'Sign in')),
    reason ? h('p', { class: 'notice' }, `The API asks for credentials: ${problemText(reason)}`) : null,
    h(
      'p',
      { class: 'hint' },
      'Every call the console makes is signed with these (AWS Signature Version 4). They stay in this browser tab and are forgotten when it closes.',
    ),
    form,
  );
  main.querySelector('h1')?.focus();
}
