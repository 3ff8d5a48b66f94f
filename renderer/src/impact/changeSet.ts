/**
 * The CIs chosen for the change being assessed, kept for this tab so they
 * survive moving between Browse, Graph and Impact ("Add to change" anywhere).
 */
const KEY = 'cmdb.impact.changeSet';
const EVENT = 'cmdb-change-set';

export function readChangeSet(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function writeChangeSet(keys: string[]): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify([...new Set(keys)]));
  } catch {
    // Without storage the set lives in the Impact screen's state only.
  }
  window.dispatchEvent(new CustomEvent(EVENT));
}

/** Adds a CI to the change and opens the Impact screen. */
export function addToChange(key: string): void {
  const keys = readChangeSet();
  if (!keys.includes(key)) writeChangeSet([...keys, key]);
  window.location.hash = '#/impact';
}

/** Calls `fn` when the set changes elsewhere in this tab. */
export function onChangeSet(fn: () => void): () => void {
  window.addEventListener(EVENT, fn);
  return () => window.removeEventListener(EVENT, fn);
}
