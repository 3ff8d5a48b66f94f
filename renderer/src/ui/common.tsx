/** Small building blocks every screen uses: loading skeletons, empty states, errors where they happen, dialogs. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, asApiError } from '../api.js';
import { typeStyle } from '../typeStyle.js';

export function Skeleton({ rows = 6, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} style={{ padding: 12, display: 'grid', gap: 10 }}>
      {Array.from({ length: rows }, (_, i) => (
        <span key={i} className="skel" style={{ width: `${55 + ((i * 37) % 40)}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({
  icon = '∅',
  title,
  children,
  action,
}: {
  icon?: string;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty">
      <div className="inner">
        <div className="icon" aria-hidden="true">
          {icon}
        </div>
        <h3>{title}</h3>
        {children && <p>{children}</p>}
        {action}
      </div>
    </div>
  );
}

/**
 * What to do next for each error code, after the engine's own message. None for a refused request: its message says
 * what to correct, and a generic "Correct what it names" under it read as noise (found by a new user).
 */
function nextStep(err: ApiError): string | null {
  switch (err.code) {
    case 'NOT_FOUND':
      return 'It may have been deleted or renamed: search for it again.';
    case 'CONFLICT':
      return 'Pick another key, or open the existing item and edit it.';
    case 'NETWORK':
      return 'Check that the CMDB host is running, then retry.';
    case 'UNAUTHORIZED':
      return 'Reopen the app from the address the host printed.';
    case 'DB_CORRUPT':
    case 'DB_NEWER':
    case 'DB_NOT_FOUND':
      return 'Open another CMDB file, or restore a backup.';
    default:
      return null;
  }
}

/**
 * An error where it happened: its title, the engine's message (which says what went wrong and what to do), and the
 * next step for its code when the message lacks one. The code itself is not shown: it is for the screens to act on,
 * and a user read `INVALID_REQUEST` under a refusal that had said all (found by a tester).
 */
export function ErrorBox({
  error,
  title = 'Something went wrong',
  onRetry,
  next: nextFor,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  /** The screen's own next step for this error (null: none beyond the message), instead of the generic one for its code. */
  next?: (code: string) => string | null | undefined;
}) {
  const err = asApiError(error);
  const own = nextFor?.(err.code);
  const next = own === undefined ? nextStep(err) : own;
  return (
    <div className="error" role="alert">
      <strong>{title}</strong>
      <div>{err.message}</div>
      {next && !err.message.includes(next) && <div className="muted">{next}</div>}
      {onRetry && (
        <div>
          <button type="button" className="btn small" onClick={onRetry} aria-label="Retry">
            Retry
          </button>
        </div>
      )}
    </div>
  );
}

/** A native <dialog> shown modally while `open`: focus is trapped and Escape closes it. */
export function Modal({
  open,
  title,
  onClose,
  children,
  footer,
  labelledBy,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer: ReactNode;
  labelledBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = labelledBy ?? `dlg-${title.replace(/\W+/g, '-').toLowerCase()}`;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={id}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header id={id}>{title}</header>
          <div className="body">{children}</div>
          <footer>{footer}</footer>
        </>
      )}
    </dialog>
  );
}

/** Asks before something irreversible; shows the error in the dialog if the action fails. */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { busy, error, run, setError } = useSubmit();
  useEffect(() => {
    if (open) setError(null);
  }, [open]);
  return (
    <Modal
      open={open}
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="btn danger solid"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await onConfirm();
                onClose();
              })
            }
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <div>{message}</div>
      {error != null && <ErrorBox error={error} title="Not done" />}
    </Modal>
  );
}

/**
 * The state of a form's action: `run(action)` clears the last error, is busy while the action
 * runs and keeps the error it throws, to show where it happened; `setError` shows an error found
 * before running (a check of what was typed). A `run` while one is running is ignored: a double
 * click or a second Enter does the action once.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Set at once, not at the next render: a second click or Enter can come before the button shows disabled,
  // and Enter in a field submits through a hidden button that is never disabled.
  const running = useRef(false);
  const run = async (action: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

/** A value that follows `value` after `ms` of quiet. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export type AsyncState<T> = { status: 'loading'; data?: T } | { status: 'ok'; data: T } | { status: 'error'; error: unknown; data?: T };

/** Runs `load` whenever `deps` change; stale answers are dropped. `reload` runs it again. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ status: 'loading', data: s.data }));
    load().then(
      (data) => live && setState({ status: 'ok', data }),
      (error: unknown) => live && setState((s) => ({ status: 'error', error, data: s.data })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [state, () => setTick((t) => t + 1)];
}

export function TypeDot({ type }: { type: string }) {
  return <span className="dot" aria-hidden="true" style={{ background: typeStyle(type).color }} />;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
