/**
 * Rows an import creates carry created_import_id instead of one history row
 * each: the CI's history still shows its 'create' entry (and those of its
 * relationships, at both ends), and undo deletes by it. Updates keep their
 * field-level history rows.
 */
import { describe, expect, it } from 'vitest';
import type { CiDetail } from '../../shared/domain.js';
import { fails, freshService, ok } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });

describe('import provenance on created rows', () => {
  it('writes no history row for creates, shows the create entries from the rows, and undo deletes by them', async () => {
    const svc = freshService();
    const historyBefore = svc.db.prepare('SELECT count(*) FROM history').pluck().get() as number;
    const r = await ok(svc, 'importCsv', {
      cis: file('cis.csv', 'id,name,type\na,Alpha,server\nb,Beta,application\n'),
      relationships: file('rels.csv', 'source,target,type\nb,a,runs_on\n'),
    });
    expect(svc.db.prepare('SELECT count(*) FROM history').pluck().get()).toBe(historyBefore);
    expect(svc.db.prepare('SELECT key, created_import_id FROM cis ORDER BY key').all()).toEqual([
      { key: 'a', created_import_id: r.importId },
      { key: 'b', created_import_id: r.importId },
    ]);
    expect(svc.db.prepare('SELECT created_import_id FROM relationships').pluck().all()).toEqual([r.importId]);

    const a = (await ok(svc, 'getCi', { key: 'a' })) as CiDetail;
    expect(a.history.map((h) => [h.entity, h.action, h.summary, h.source, h.importId])).toEqual(
      expect.arrayContaining([
        ['ci', 'create', 'Created server Alpha', 'test', r.importId],
        ['relationship', 'create', 'b runs_on a', 'test', r.importId],
      ]),
    );
    expect(a.history).toHaveLength(2);
    const b = (await ok(svc, 'getCi', { key: 'b' })) as CiDetail;
    expect(b.history.some((h) => h.entity === 'relationship' && h.summary === 'b runs_on a')).toBe(true);

    // A later update is recorded field by field and listed before the create.
    const r2 = await ok(svc, 'importCsv', { cis: file('cis2.csv', 'id,name,type\na,Alpha 2,server\n') });
    const a2 = (await ok(svc, 'getCi', { key: 'a' })) as CiDetail;
    expect(a2.history[0]).toMatchObject({ action: 'update', importId: r2.importId, changes: { name: { from: 'Alpha', to: 'Alpha 2' } } });
    expect(a2.history.at(-1)?.action).toBe('create');
    // The create entry names the CI as it was created, not as it is named now.
    expect(a2.history.at(-1)?.summary).toBe('Created server Alpha');

    // Undo of the first import is refused while the later one stands, then deletes every row it created.
    await expect(ok(svc, 'undoImport', { id: r.importId! })).rejects.toThrow(/a later change touches the same CIs/);
    await ok(svc, 'undoImport', { id: r2.importId! });
    const u = await ok(svc, 'undoImport', { id: r.importId! });
    expect(u).toMatchObject({ cisDeleted: 2, relationshipsDeleted: 1 });
    expect(svc.db.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(0);
    expect(svc.db.prepare('SELECT count(*) FROM relationships').pluck().get()).toBe(0);
  });
});

describe('undo refusal with provenance', () => {
  it('refuses while a later import created a relationship at a CI it created, and allows it once that import is undone', async () => {
    const svc = freshService();
    const a = await ok(svc, 'importCsv', { cis: file('a.csv', 'id,name,type\nx,X,server\ny,Y,server\n') });
    const b = await ok(svc, 'importCsv', {
      cis: file('b.csv', 'id,name,type\nz,Z,application\n'),
      relationships: file('rels.csv', 'source,target,type\nz,x,runs_on\n'),
    });
    expect((await fails(svc, 'undoImport', { id: a.importId! })).message).toBe(
      `Import ${a.importId} cannot be undone: a later change touches the same CIs, and undoing it now would throw it away: ` +
        `import ${b.importId} (upsert, b.csv, rels.csv) changed X (x). ` +
        `First undo import ${b.importId} (cmdb undo-import ${b.importId}); then import ${a.importId} can be undone.`,
    );
    await ok(svc, 'undoImport', { id: b.importId! });
    expect(await ok(svc, 'undoImport', { id: a.importId! })).toMatchObject({ cisDeleted: 2, relationshipsDeleted: 0 });
    expect(svc.db.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(0);
  });
});
