/**
 * State kept across screens (renderer/src/ui/keptState.ts): read back from
 * this tab's storage, and all forgotten when another CMDB is opened in the
 * window (the last one's filters and files mean nothing in it).
 */
import { beforeAll, describe, expect, it } from 'vitest';

/** A sessionStorage for Node: the keys this tab has stored. */
class MemoryStorage {
  private readonly m = new Map<string, string>();
  get length(): number {
    return this.m.size;
  }
  key(i: number): string | null {
    return [...this.m.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.m.set(k, v);
  }
  removeItem(k: string): void {
    this.m.delete(k);
  }
}

const storage = new MemoryStorage();
let kept: typeof import('../../renderer/src/ui/keptState.js');

beforeAll(async () => {
  (globalThis as unknown as { sessionStorage?: MemoryStorage }).sessionStorage = storage;
  // Stored by an earlier page of this tab: read back when the screen first asks.
  storage.setItem('cmdb.kept.browse.filters', JSON.stringify({ owner: ['team-a'] }));
  storage.setItem('cmdb.kept.old.screen', '"gone"');
  storage.setItem('cmdb.theme', 'dark');
  kept = await import('../../renderer/src/ui/keptState.js');
});

describe('kept state', () => {
  it('reads back what this tab stored, and stores what is set', () => {
    expect(kept.keptValue('browse.filters', {})).toEqual({ owner: ['team-a'] });
    expect(kept.keptValue('impact.depth', null)).toBeNull();
    kept.setKeptValue('impact.depth', 3);
    expect(kept.keptValue('impact.depth', null)).toBe(3);
    expect(storage.getItem('cmdb.kept.impact.depth')).toBe('3');
    // A page-only value is not stored.
    kept.keptValue('import.job', null, 'page');
    kept.setKeptValue('import.job', 'job-1');
    expect(storage.getItem('cmdb.kept.import.job')).toBeNull();
  });

  it('forgets everything when another CMDB is opened: values back to their first ones, stored ones removed', () => {
    kept.forgetKeptState();
    expect(kept.keptValue('browse.filters', {})).toEqual({});
    expect(kept.keptValue('impact.depth', null)).toBeNull();
    expect(kept.keptValue('import.job', null, 'page')).toBeNull();
    expect(storage.getItem('cmdb.kept.old.screen')).toBeNull();
    expect(storage.getItem('cmdb.kept.browse.filters')).toBe('{}');
    // Storage that is not kept state (the theme) stays.
    expect(storage.getItem('cmdb.theme')).toBe('dark');
  });
});
