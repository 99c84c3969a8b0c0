import { ApiProblem } from './api';
import { h, uniqueId } from './dom';
import { problemText } from './problem-view';

/**
 * Labelled form fields with a hint and an error slot each; the API's problem details land on
 * the field they name (`field`), with what is allowed, and the browser's own checks run first.
 */
export interface Field {
  name: string;
  element: HTMLElement;
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  setError(text: string | undefined): void;
}

export function field(
  name: string,
  label: string,
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  hint?: string,
): Field {
  const id = uniqueId(name);
  input.id = id;
  input.name = name;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  input.setAttribute('aria-describedby', hint ? `${hintId} ${errorId}` : errorId);
  return {
    name,
    input,
    element: h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      input,
      hint ? h('p', { id: hintId, class: 'hint' }, hint) : null,
      error,
    ),
    setError(text) {
      error.hidden = !text;
      error.textContent = text ?? '';
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

export function numberInput(min: number, max: number, value?: number): HTMLInputElement {
  return h('input', {
    type: 'number',
    inputmode: 'numeric',
    min,
    max,
    step: 1,
    ...(value === undefined ? {} : { value }),
  });
}

export function textInput(attributes: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...attributes });
}

/** Checks the fields as the browser would; returns false (and marks them) when one is invalid. */
export function checkFields(fields: Field[]): boolean {
  let first: Field | undefined;
  for (const f of fields) {
    const valid = f.input.checkValidity();
    f.setError(valid ? undefined : f.input.validationMessage);
    if (!valid) first ??= f;
  }
  first?.input.focus();
  return first === undefined;
}

/**
 * Shows an API failure: on its field when the problem names one of ours, else in the summary
 * box; focus goes to where the error is.
 */
export function showProblem(error: unknown, fields: Field[], summary: HTMLElement): void {
  for (const f of fields) f.setError(undefined);
  const named = error instanceof ApiProblem && error.problem.field;
  const target = named ? fields.find((f) => f.name === named) : undefined;
  summary.hidden = false;
  summary.textContent = problemText(error);
  if (target) {
    const allowed =
      error instanceof ApiProblem && error.problem.allowed ? `Allowed: ${error.problem.allowed}.` : '';
    target.setError(`${error instanceof ApiProblem ? (error.problem.detail ?? '') : ''} ${allowed}`.trim());
    target.input.focus();
  }
}

export function clearProblem(fields: Field[], summary: HTMLElement): void {
  for (const f of fields) f.setError(undefined);
  summary.hidden = true;
  summary.textContent = '';
}

/** The error summary of a form: read out as soon as it appears. */
export const errorSummary = () => h('p', { class: 'error', role: 'alert', hidden: true });

/** An optional whole number from an input: undefined when empty. */
export function optionalInteger(
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
): number | undefined {
  return input.value.trim() === '' ? undefined : Number(input.value);
}
