/**
 * State that outlives the screen holding it: leaving Browse for Impact and
 * coming back finds the filters as they were, and the import wizard its
 * files, its mapping and an import still running. `tab`: also kept in
 * sessionStorage as JSON (this tab, across reloads); `page`: in memory for
 * the page's life (state naming files the host holds for this session only,
 * or a running job). The value lives in a store outside React, so work that
 * finishes after its screen was left (an import) still lands in it.
 */
import { useCallback, useSyncExternalStore, type Dispatch, type SetStateAction } from 'react';

export type Keep = 'tab' | 'page';

const PREFIX = 'cmdb.kept.';
const values = new Map<string, unknown>();
const listeners = new Map<string, Set<() => void>>();
/** Each key's first value and how it is kept: what forgetKeptState puts back. */
const initials = new Map<string, { initial: unknown; keep: Keep }>();

function stored<T>(key: string, initial: T, keep: Keep): T {
  if (keep === 'page') return initial;
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    return raw === null ? initial : (JSON.parse(raw) as T);
  } catch {
    return initial;
  }
}

function put(key: string, value: unknown, keep: Keep): void {
  values.set(key, value);
  if (keep === 'tab') {
    try {
      sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch {
      // Without storage the state lives as long as the page does.
    }
  }
  for (const fn of listeners.get(key) ?? []) fn();
}

function subscribe(key: string, fn: () => void): () => void {
  const set = listeners.get(key) ?? new Set();
  listeners.set(key, set);
  set.add(fn);
  return () => set.delete(fn);
}

/** Calls `fn` whenever the value kept under `key` is set or forgotten, even to the value it had. */
export function onKeptChange(key: string, fn: () => void): () => void {
  return subscribe(key, fn);
}

/** The value kept under `key`, read from storage (or `initial`) the first time. */
export function keptValue<T>(key: string, initial: T, keep: Keep = 'tab'): T {
  if (!initials.has(key)) initials.set(key, { initial, keep });
  if (!values.has(key)) values.set(key, stored(key, initial, keep));
  return values.get(key) as T;
}

/** Sets the value kept under `key` (after keptValue or useKeptState named it), telling the screens that show it. */
export function setKeptValue(key: string, value: unknown): void {
  put(key, value, initials.get(key)?.keep ?? 'page');
}

/**
 * Forgets every kept value: each key goes back to its first value, and this
 * tab's stored ones are removed. For another CMDB opened in the window: the
 * filters, the change and the import of the last one mean nothing in it.
 */
export function forgetKeptState(): void {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i);
      if (k?.startsWith(PREFIX)) sessionStorage.removeItem(k);
    }
  } catch {
    // Without storage only the values in memory were kept.
  }
  for (const [key, { initial, keep }] of initials) put(key, initial, keep);
}

/** useState whose value is kept under `key` (see Keep): read back when the screen mounts again, settable after it unmounted. */
export function useKeptState<T>(key: string, initial: T, keep: Keep = 'tab'): [T, Dispatch<SetStateAction<T>>] {
  keptValue(key, initial, keep);
  const value = useSyncExternalStore(
    useCallback((fn: () => void) => subscribe(key, fn), [key]),
    () => values.get(key) as T,
  );
  const setValue = useCallback(
    (next: SetStateAction<T>) => put(key, typeof next === 'function' ? (next as (cur: T) => T)(values.get(key) as T) : next, keep),
    [key, keep],
  );
  return [value, setValue];
}
