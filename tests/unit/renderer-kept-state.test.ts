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
let change: typeof import('../../renderer/src/impact/changeSet.js');
/** The page's address: "Add to change" opens the Impact screen. */
const page = { location: { hash: '#/browse' } };

beforeAll(async () => {
  (globalThis as unknown as { sessionStorage?: MemoryStorage }).sessionStorage = storage;
  // Stored by an earlier page of this tab: read back when the screen first asks.
  storage.setItem('cmdb.kept.browse.filters', JSON.stringify({ owner: ['team-a'] }));
  storage.setItem('cmdb.kept.old.screen', '"gone"');
  storage.setItem('cmdb.theme', 'dark');
  (globalThis as unknown as { window?: typeof page }).window = page;
  kept = await import('../../renderer/src/ui/keptState.js');
  change = await import('../../renderer/src/impact/changeSet.js');
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

  it('keeps the change set as kept state: read back, added to, and forgotten with the rest', () => {
    // Stored by an earlier page of this tab (after the forgetting above), first read here.
    storage.setItem('cmdb.kept.impact.changeSet', JSON.stringify(['db-1']));
    let told = 0;
    const stop = change.onChangeSet(() => told++);
    expect(change.readChangeSet()).toEqual(['db-1']);
    change.addToChange('app-2');
    change.addToChange('db-1');
    expect(page.location.hash).toBe('#/impact');
    expect(change.readChangeSet()).toEqual(['db-1', 'app-2']);
    expect(storage.getItem('cmdb.kept.impact.changeSet')).toBe('["db-1","app-2"]');
    expect(told).toBe(1);
    // Another CMDB opened: the one forgetKeptState empties the change too, and tells the Impact screen.
    kept.forgetKeptState();
    expect(change.readChangeSet()).toEqual([]);
    expect(storage.getItem('cmdb.kept.impact.changeSet')).toBe('[]');
    expect(told).toBe(2);
    stop();
  });
});
