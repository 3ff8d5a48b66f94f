/**
 * State that outlives the screen holding it: leaving Browse for Impact and
 * coming back finds the filters as they were, and the import wizard its
 * files and mapping. `tab`: kept in sessionStorage as JSON (this tab, across
 * reloads); `page`: kept in memory for the page's life (state naming files
 * the host holds for this session only, or too large to serialise).
 */
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';

export type Keep = 'tab' | 'page';

const PREFIX = 'cmdb.kept.';
const memory = new Map<string, unknown>();

function read<T>(key: string, initial: T, keep: Keep): T {
  if (keep === 'page') return memory.has(key) ? (memory.get(key) as T) : initial;
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    return raw === null ? initial : (JSON.parse(raw) as T);
  } catch {
    return initial;
  }
}

function write(key: string, value: unknown, keep: Keep): void {
  if (keep === 'page') {
    memory.set(key, value);
    return;
  }
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Without storage the state lives as long as the screen does.
  }
}

/** useState whose value is kept under `key` (see Keep) and read back when the screen mounts again. */
export function useKeptState<T>(key: string, initial: T, keep: Keep = 'tab'): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => read(key, initial, keep));
  useEffect(() => write(key, value, keep), [key, value, keep]);
  return [value, setValue];
}
