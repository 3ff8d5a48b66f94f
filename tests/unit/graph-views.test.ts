/**
 * Saved graph views through the contract: saved with their spec (cap and
 * siblings included), listed by name, refused (CONFLICT) on an existing name
 * unless replaced, refused (NOT_FOUND) on a centre that does not exist,
 * deleted; kept in the CMDB file.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CmdbService } from '../../electron/cmdb/service.js';
import { fails, freshService, ok, tempDir } from './helpers.js';

async function withCis(svc: CmdbService) {
  for (const key of ['app-1', 'db-1']) await ok(svc, 'createCi', { key, fields: { type: 'application', name: key } });
}

const SPEC = {
  center: 'app-1',
  direction: 'both' as const,
  depth: 2,
  ciTypes: ['application', 'database'],
  grouping: { by: 'location', expand: ['fra1', null], minSize: 3 },
  layout: 'layered',
  maxNodes: 100,
  siblings: false,
};

describe('saved views', () => {
  it('saves a view with its spec and note, and lists views by name', async () => {
    const svc = freshService();
    await withCis(svc);
    const saved = await ok(svc, 'saveView', { name: '  Orders path ', note: 'for the CAB', spec: SPEC });
    expect(saved).toMatchObject({ name: 'Orders path', note: 'for the CAB', spec: SPEC });
    expect(saved.createdAt).toBe(saved.updatedAt);
    await ok(svc, 'saveView', { name: 'b view', spec: { center: 'db-1', direction: 'upstream', depth: 1 } });
    await ok(svc, 'saveView', { name: 'A view', spec: { center: 'db-1', direction: 'downstream', depth: 3 } });
    const { views } = await ok(svc, 'listViews', {});
    expect(views.map((v) => v.name)).toEqual(['A view', 'b view', 'Orders path']);
    expect(views[2]).toEqual(saved);
    expect(views[1]!.note).toBeNull();
  });

  it('refuses an existing name unless replace, saying how; replacing keeps when it was created', async () => {
    const svc = freshService();
    await withCis(svc);
    const first = await ok(svc, 'saveView', { name: 'mine', spec: SPEC });
    const err = await fails(svc, 'saveView', { name: 'mine', spec: { ...SPEC, depth: 3 } });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('"mine"');
    expect(err.message).toMatch(/another name/);
    expect(err.message).toMatch(/replace/);
    expect((await ok(svc, 'listViews', {})).views[0]!.spec.depth).toBe(2);

    await new Promise((r) => setTimeout(r, 5));
    const replaced = await ok(svc, 'saveView', { name: 'mine', note: 'now deeper', spec: { ...SPEC, depth: 3 }, replace: true });
    expect(replaced).toMatchObject({ name: 'mine', note: 'now deeper', createdAt: first.createdAt });
    expect(replaced.spec.depth).toBe(3);
    expect(replaced.updatedAt > first.updatedAt).toBe(true);
    expect((await ok(svc, 'listViews', {})).views).toEqual([replaced]);
  });

  it('refuses a view of a CI that does not exist', async () => {
    const svc = freshService();
    await withCis(svc);
    const err = await fails(svc, 'saveView', { name: 'ghost', spec: { ...SPEC, center: 'nope' } });
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain('"nope"');
    expect((await ok(svc, 'listViews', {})).views).toEqual([]);
    expect((await fails(svc, 'saveView', { name: ' ', spec: SPEC })).code).toBe('INVALID_REQUEST');
  });

  it('deletes a view by name; deleting one that is not there says so', async () => {
    const svc = freshService();
    await withCis(svc);
    await ok(svc, 'saveView', { name: 'gone soon', spec: SPEC });
    expect(await ok(svc, 'deleteView', { name: 'gone soon' })).toEqual({ deleted: true });
    expect(await ok(svc, 'deleteView', { name: 'gone soon' })).toEqual({ deleted: false });
    expect((await ok(svc, 'listViews', {})).views).toEqual([]);
  });

  it('keeps views in the CMDB file, and saving one does not make the impact index stale', async () => {
    const path = join(tempDir(), 'views.db');
    const svc = CmdbService.open(path, { source: 'test' });
    await withCis(svc);
    await ok(svc, 'impact', { keys: ['db-1'] });
    const before = svc.impacts.indexHolder.get();
    await ok(svc, 'saveView', { name: 'kept', spec: SPEC });
    expect(svc.impacts.indexHolder.get()).toBe(before);
    svc.close();
    const again = CmdbService.open(path, { source: 'test', readonly: true });
    try {
      expect((await ok(again, 'listViews', {})).views.map((v) => v.name)).toEqual(['kept']);
    } finally {
      again.close();
    }
  });

  it('keeps the cap and siblings; a view saved before they were kept still lists, without them', async () => {
    const svc = freshService();
    await withCis(svc);
    await ok(svc, 'saveView', { name: 'capped', spec: SPEC });
    const old = { center: 'db-1', direction: 'upstream', depth: 2, layout: 'force' };
    svc.db
      .prepare("INSERT INTO saved_views(name, note, spec, created_at, updated_at) VALUES ('older', NULL, ?, 'x', 'x')")
      .run(JSON.stringify(old));
    const { views } = await ok(svc, 'listViews', {});
    expect(views.map((v) => [v.name, v.spec.maxNodes, v.spec.siblings])).toEqual([
      ['capped', 100, false],
      ['older', undefined, undefined],
    ]);
    expect(views[1]!.spec).toEqual(old);
  });
});
