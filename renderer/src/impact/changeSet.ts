/**
 * The CIs chosen for the change being assessed: kept state (ui/keptState.ts)
 * like every other screen's, so they survive moving between Browse, Graph and
 * Impact ("Add to change" anywhere), and are forgotten with the rest when
 * another CMDB is opened.
 */
import { keptValue, onKeptChange, setKeptValue, useKeptState } from '../ui/keptState.js';

/** Kept for the tab: sessionStorage 'cmdb.kept.impact.changeSet', a JSON array of CI keys. */
const KEY = 'impact.changeSet';
const NONE: string[] = [];

/** The keys of the change as kept. */
export function readChangeSet(): string[] {
  return keptValue(KEY, NONE);
}

/** Adds a CI to the change and opens the Impact screen. */
export function addToChange(key: string): void {
  const keys = readChangeSet();
  if (!keys.includes(key)) setKeptValue(KEY, [...keys, key]);
  window.location.hash = '#/impact';
}

/** The change's keys and their setter (each key once), for the screen that shows them. */
export function useChangeSet(): [string[], (keys: string[]) => void] {
  const [keys, setKeys] = useKeptState(KEY, NONE);
  return [keys, (next) => setKeys([...new Set(next)])];
}

/** Calls `fn` whenever the change is set or forgotten, from any screen. */
export function onChangeSet(fn: () => void): () => void {
  readChangeSet();
  return onKeptChange(KEY, fn);
}
