import { byId, setText } from './dom.ts';

/** The notice above the dashboard: a message, with an action to take when there is one. */
export function createNotice(doc: Document) {
  const box = byId('notice', doc);
  const text = byId('notice-text', doc);
  const action = byId<HTMLButtonElement>('notice-action', doc);
  let onAction: (() => void) | null = null;
  action.addEventListener('click', () => onAction?.());
  return {
    show(message: string, label?: string, then?: () => void): void {
      setText(text, message);
      action.hidden = !label;
      setText(action, label ?? '');
      onAction = then ?? null;
      box.hidden = false;
    },
    clear(): void {
      box.hidden = true;
    },
  };
}
