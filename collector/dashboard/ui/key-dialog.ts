import { byId, setText } from './dom.ts';

/**
 * Asks for an API key when the collector wants one. Resolves with the key the
 * person typed, or null when they closed the dialog.
 */
export interface KeyDialog {
  ask(reason: string): Promise<string | null>;
  readonly open: boolean;
}

export function createKeyDialog(doc: Document): KeyDialog {
  const dialog = byId<HTMLDialogElement>('key-dialog', doc);
  const form = byId<HTMLFormElement>('key-form', doc);
  const input = byId<HTMLInputElement>('key-input', doc);
  const reasonText = byId('key-reason', doc);
  let pending: ((key: string | null) => void) | null = null;

  const finish = (key: string | null) => {
    const resolve = pending;
    pending = null;
    if (dialog.open) dialog.close();
    resolve?.(key);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key) finish(key);
  });
  byId('key-cancel', doc).addEventListener('click', () => finish(null));
  dialog.addEventListener('cancel', () => finish(null));

  return {
    get open() {
      return pending !== null;
    },
    ask(reason) {
      setText(reasonText, reason);
      input.value = '';
      if (!dialog.open) dialog.showModal();
      input.focus();
      return new Promise((resolve) => {
        pending?.(null);
        pending = resolve;
      });
    },
  };
}
