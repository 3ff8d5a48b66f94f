/**
 * Saved changes and views renamed by merges, undone out of order or in chains:
 * each undo takes back its own rename only, whatever the other merges did.
 */
import { describe, expect, it } from 'vitest';
import { freshService, ok } from './helpers.js';
import type { CmdbService } from '../../electron/cmdb/service.js';

async function servers(svc: CmdbService, keys: string[]): Promise<void> {
  for (const key of keys) await ok(svc, 'createCi', { key, fields: { type: 'server', name: key } });
}

const keysOf = async (svc: CmdbService, ref: string) => (await ok(svc, 'getChange', { ref })).change.keys;

describe('saved references after several merges', () => {
  it('a change naming two merged CIs gets both back whichever merge is undone first', async () => {
    const svc = freshService();
    await servers(svc, ['a', 'b', 'x']);
    await ok(svc, 'saveChange', { ref: 'CHG-1', title: 't', keys: ['a', 'x'] });
    const m1 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'a' });
    const m2 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'x' });
    expect(await keysOf(svc, 'CHG-1')).toEqual(['b']);
    await ok(svc, 'undoMerge', { id: m1.id });
    expect(await keysOf(svc, 'CHG-1')).toEqual(['a', 'b']);
    await ok(svc, 'undoMerge', { id: m2.id });
    expect(await keysOf(svc, 'CHG-1')).toEqual(['a', 'x']);
  });

  it('a chain (a into b, b into c) undone from the last takes each rename back, in changes and views', async () => {
    const svc = freshService();
    await servers(svc, ['a', 'b', 'c']);
    await ok(svc, 'saveChange', { ref: 'CHG-1', title: 't', keys: ['a', 'c'] });
    await ok(svc, 'saveView', { name: 'v', note: null, spec: { center: 'a', direction: 'both', depth: 1 }, replace: false });
    const m1 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'a' });
    const m2 = await ok(svc, 'mergeCis', { keep: 'c', merge: 'b' });
    expect(await keysOf(svc, 'CHG-1')).toEqual(['c']);
    const center = async () => (await ok(svc, 'listViews', {})).views[0]!.spec.center;
    expect(await center()).toBe('c');
    await ok(svc, 'undoMerge', { id: m2.id });
    expect([await keysOf(svc, 'CHG-1'), await center()]).toEqual([['b', 'c'], 'b']);
    await ok(svc, 'undoMerge', { id: m1.id });
    expect([await keysOf(svc, 'CHG-1'), await center()]).toEqual([['a', 'c'], 'a']);
  });

  it('a change saved again after a merge keeps what it was saved as when the merge is undone', async () => {
    const svc = freshService();
    await servers(svc, ['a', 'b', 'x']);
    await ok(svc, 'saveChange', { ref: 'CHG-1', title: 't', keys: ['a', 'x'] });
    const m1 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'a' });
    await ok(svc, 'saveChange', { ref: 'CHG-1', title: 't2', keys: ['b', 'x'] });
    const m2 = await ok(svc, 'mergeCis', { keep: 'b', merge: 'x' });
    await ok(svc, 'undoMerge', { id: m1.id });
    expect(await keysOf(svc, 'CHG-1')).toEqual(['b']);
    await ok(svc, 'undoMerge', { id: m2.id });
    expect(await keysOf(svc, 'CHG-1')).toEqual(['b', 'x']);
  });
});
