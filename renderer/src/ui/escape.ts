/** Which Escape presses a panel may take to close itself. */
import { useEffect, useRef } from 'react';

/**
 * Whether `target` uses Escape itself, so a panel around it must leave the key alone: anything in a dialog (the
 * dialog closes), a text field, select or combobox (Escape clears or closes its list), an open menu.
 */
export function usesEscape(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('dialog, details[open], [role=combobox], [role=listbox], [role=menu]')) return true;
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target as HTMLElement).isContentEditable
  );
}

/**
 * Escape pressed with the focus nowhere (on the page's body: after a pick in the search box, or once the control that
 * had it has gone) calls `onEscape`, as it would from the panel it closes; none while `onEscape` is undefined. Not
 * while a dialog or a menu is open: the key is theirs (it is seen before a menu's own listener closes the menu).
 */
export function useEscapeFromPage(onEscape: (() => void) | undefined): void {
  const latest = useRef(onEscape);
  latest.current = onEscape;
  const on = onEscape !== undefined;
  useEffect(() => {
    if (!on) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || e.target !== document.body) return;
      if (document.querySelector('dialog[open], details.dropdown[open]')) return;
      e.preventDefault();
      latest.current?.();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [on]);
}
