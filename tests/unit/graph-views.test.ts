/**
 * Saved graph views through the contract: saved with their spec (cap and
 * siblings included), listed by name with whether their centre still exists,
 * refused (CONFLICT) on an existing name unless replaced, refused (NOT_FOUND)
 * on a centre that does not exist, names checked with a message for a person,
 * renamed, deleted; kept in the CMDB file.
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

  it('says which views are centred on a CI deleted since they were saved', async () => {
    const svc = freshService();
    await withCis(svc);
    await ok(svc, 'saveView', { name: 'on app', spec: SPEC });
    await ok(svc, 'saveView', { name: 'on db', spec: { ...SPEC, center: 'db-1' } });
    expect((await ok(svc, 'listViews', {})).views.map((v) => v.centerExists)).toEqual([true, true]);
    await ok(svc, 'deleteCi', { key: 'app-1' });
    const { views } = await ok(svc, 'listViews', {});
    expect(views.map((v) => [v.name, v.spec.center, v.centerExists])).toEqual([
      ['on app', 'app-1', false],
      ['on db', 'db-1', true],
    ]);
  });

  it('checks a name with a message for a person: empty, too long, taken (no developer words)', async () => {
    const svc = freshService();
    await withCis(svc);
    const empty = await fails(svc, 'saveView', { name: '   ', spec: SPEC }, 'web');
    expect(empty).toMatchObject({ code: 'INVALID_REQUEST', message: 'Give the view a name.' });
    const long = await fails(svc, 'saveView', { name: 'x'.repeat(201), spec: SPEC }, 'web');
    expect(long).toMatchObject({ code: 'INVALID_REQUEST', message: "A view's name can be at most 200 characters; this one has 201." });
    await ok(svc, 'saveView', { name: 'x'.repeat(200), spec: SPEC });
    await ok(svc, 'saveView', { name: 'mine', spec: SPEC });
    const taken = await fails(svc, 'saveView', { name: 'mine', spec: SPEC }, 'web');
    expect(taken.message).toBe('A saved view named "mine" exists already. Choose another name, or replace that view.');
  });

  it('renames a view, keeping what it reopens, its note and when it was created', async () => {
    const svc = freshService();
    await withCis(svc);
    const first = await ok(svc, 'saveView', { name: 'old name', note: 'kept', spec: SPEC });
    await new Promise((r) => setTimeout(r, 5));
    const renamed = await ok(svc, 'renameView', { name: 'old name', newName: '  New name ' });
    expect(renamed).toMatchObject({ name: 'New name', note: 'kept', spec: SPEC, centerExists: true, createdAt: first.createdAt });
    expect(renamed.updatedAt > first.updatedAt).toBe(true);
    expect((await ok(svc, 'listViews', {})).views).toEqual([renamed]);
    // The same name (or only spaces around it) is no change; a change of case is a rename.
    expect(await ok(svc, 'renameView', { name: 'New name', newName: 'New name ' })).toEqual(renamed);
    expect((await ok(svc, 'renameView', { name: 'New name', newName: 'new name' })).name).toBe('new name');
  });

  it('refuses a rename to an empty, too long or taken name, or of a view that is not there', async () => {
    const svc = freshService();
    await withCis(svc);
    await ok(svc, 'saveView', { name: 'a', spec: SPEC });
    await ok(svc, 'saveView', { name: 'b', spec: SPEC });
    expect(await fails(svc, 'renameView', { name: 'a', newName: ' ' }, 'web')).toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'Give the view a name.',
    });
    expect((await fails(svc, 'renameView', { name: 'a', newName: 'y'.repeat(250) }, 'web')).message).toBe(
      "A view's name can be at most 200 characters; this one has 250.",
    );
    expect(await fails(svc, 'renameView', { name: 'a', newName: 'b' }, 'web')).toMatchObject({
      code: 'CONFLICT',
      message: 'A saved view named "b" exists already. Choose another name, or replace that view.',
    });
    expect(await fails(svc, 'renameView', { name: 'gone', newName: 'c' }, 'web')).toMatchObject({ code: 'NOT_FOUND' });
    expect((await ok(svc, 'listViews', {})).views.map((v) => v.name)).toEqual(['a', 'b']);
  });
});
