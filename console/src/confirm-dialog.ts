import { h } from './dom';

/**
 * Asks before something that cannot be undone, in a modal <dialog>: focus goes to the safe
 * choice, Escape cancels, and focus returns to whatever opened it.
 */
export function confirmDialog(options: {
  title: string;
  message: string;
  confirmLabel: string;
}): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  return new Promise((resolve) => {
    const titleId = `dialog-title-${Date.now()}`;
    const cancel = h('button', { type: 'button', class: 'secondary', autofocus: true }, 'Cancel');
    const confirm = h('button', { type: 'button', class: 'danger' }, options.confirmLabel);
    const dialog = h(
      'dialog',
      { 'aria-labelledby': titleId, class: 'confirm' },
      h('h2', { id: titleId }, options.title),
      h('p', {}, options.message),
      h('div', { class: 'actions' }, cancel, confirm),
    );
    let answer = false;
    cancel.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
