/**
 * A dropdown menu (`<details className="dropdown">`): opens from its summary,
 * closes on a click outside it, on Escape (focus goes back to the summary, so
 * the keyboard is not left on a hidden control), or when an action inside
 * has done its work (`ref.current.close()`).
 */
import { type ReactNode, type Ref, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';

/** What a menu's owner can do with it. */
export interface MenuHandle {
  /** Closes the menu, focus back on its summary when it was inside. */
  close(): void;
}

export function Menu({
  label,
  groupLabel = label,
  summary,
  className,
  summaryClassName,
  title,
  children,
  ref: handle,
}: {
  /** The summary's accessible name. */
  label: string;
  /** The accessible name of the group the menu's content is in; `label` unless told. */
  groupLabel?: string;
  /** What the summary shows. */
  summary: ReactNode;
  /** Classes beside `dropdown` on the details element. */
  className?: string;
  summaryClassName?: string;
  /** The summary's tooltip. */
  title?: string;
  children: ReactNode;
  ref?: Ref<MenuHandle>;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  const close = useCallback((refocus = true) => {
    const d = ref.current;
    if (!d?.open) return;
    const focusInside = d.contains(document.activeElement);
    d.open = false;
    if (refocus && focusInside) d.querySelector('summary')?.focus();
  }, []);
  useImperativeHandle(handle, () => ({ close: () => close() }), [close]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) close(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close]);
  return (
    <details ref={ref} className={className ? `dropdown ${className}` : 'dropdown'} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className={summaryClassName} aria-label={label} title={title}>
        {summary}
      </summary>
      <div className="menu" role="group" aria-label={groupLabel}>
        {children}
      </div>
    </details>
  );
}
