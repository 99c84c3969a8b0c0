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

/** An input with an id of its own, for a label that stands apart from it; the browser offers no autofill. */
export function inputWithId(prefix: string, type: string, placeholder: string): HTMLInputElement {
  return h('input', { id: uniqueId(prefix), type, autocomplete: 'off', placeholder });
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

export interface CheckedFormOptions<T> {
  /** The form's attributes besides `novalidate` (the fields are checked here, not by the browser). */
  attributes?: Record<string, string>;
  fields: Field[];
  submitLabel: string;
  /** Lays the fields out in the grid rather than one under another. */
  grid?: boolean;
  /** A status line after the button, emptied whenever the form is submitted again. */
  result?: HTMLElement;
  /** A check of the form's own, before the browser's: returns false, having marked its field, to stop. */
  precheck?: () => boolean;
  /** Reads the checked fields into what to submit; undefined when there is nothing to do. */
  read: () => T | undefined;
  /** Submits while the button is disabled; the form is given for resetting. */
  submit: (value: T, form: HTMLFormElement) => Promise<void>;
  /** Shows a failure of submit; by default on the field the problem names, else in the summary. */
  failed?: (error: unknown, summary: HTMLElement) => void;
}

/**
 * A form of checked fields with its error summary and submit button: each submission clears the
 * last problem, checks the fields, and keeps the button disabled while submit runs, so one click
 * sends once; what the API refuses is shown where showProblem puts it.
 */
export function checkedForm<T>(options: CheckedFormOptions<T>): HTMLFormElement {
  const { fields, result } = options;
  const summary = errorSummary();
  const submit = h('button', { type: 'submit' }, options.submitLabel);
  const elements = fields.map((f) => f.element);
  const form = h(
    'form',
    { novalidate: true, ...options.attributes },
    summary,
    options.grid ? h('div', { class: 'grid' }, elements) : elements,
    submit,
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(fields, summary);
    if (result) result.textContent = '';
    if (options.precheck && !options.precheck()) return;
    if (!checkFields(fields)) return;
    const value = options.read();
    if (value === undefined) return;
    submit.disabled = true;
    try {
      await options.submit(value, form);
    } catch (error) {
      if (options.failed) options.failed(error, summary);
      else showProblem(error, fields, summary);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
