/** Which Escape presses a panel may take to close itself. */

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
