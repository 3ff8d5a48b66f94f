/**
 * The relationship stage (import/stages/relationships.ts) through its own
 * interface, on a real in-memory CMDB: endpoints by key and by name (unknown
 * and ambiguous ones named with their column), a CI related to itself,
 * redundancy groups checked across the file's rows, creates and updates
 * (with history), and a type the registry lacks.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import type { Helpers } from '../../electron/cmdb/import/bulk/helpers.js';
import { ImportContext, type RunImportInput } from '../../electron/cmdb/import/stages/context.js';
import { openSources } from '../../electron/cmdb/import/stages/open-sources.js';
import { importRelationships } from '../../electron/cmdb/import/stages/relationships.js';
import { prepareImport } from '../../electron/cmdb/import/stages/prepare.js';
import { freshService, ok } from './helpers.js';

const noHelpers: Helpers = { searchIndex: null, planner: null, close: async () => {} };

/** The stages before the relationship stage: the files opened, the transaction begun, the import started. */
async function started(db: Db, input: RunImportInput) {
  const sources = await openSources(input);
  const ctx = new ImportContext(db, input, sources, performance.now());
  db.exec('BEGIN IMMEDIATE');
  prepareImport(ctx, noHelpers);
  return { ctx, rels: sources.rels! };
}

const CIS = 'id,name,type\napp-1,Shop,application\nweb-1,Web,server\nweb-2,Web,server\ndb-1,Main DB,database\nlb-1,Web,load_balancer\n';

async function seeded() {
  const svc = freshService();
  await ok(svc, 'importCsv', {
    cis: { name: 'seed.csv', content: CIS },
    relationships: { name: 'seed-rels.csv', content: 'source,target,type,redundancy_group,min_up\napp-1,db-1,depends_on,,\n' },
  });
  return svc;
}

describe('the relationship stage', () => {
  it('names unknown and ambiguous endpoints, self-relationships and group conflicts by line and column', async () => {
    const svc = await seeded();
    const { ctx, rels } = await started(svc.db, {
      relationships: {
        name: 'rels.csv',
        content: [
          'source,target,type,redundancy_group,min_up',
          'app-1,nope,runs_on,,', // 2: unknown target
          'ghost,web-1,runs_on,,', // 3: unknown source
          'app-1,Web,runs_on,,', // 4: three CIs are named Web
          'web-1,web-1,runs_on,,', // 5: itself
          'app-1,web-1,runs_on,web,1', // 6: fine
          'app-1,web-2,runs_on,web,2', // 7: min_up differs in the group
          'app-1,Main DB,runs_on,,', // 8: by name
        ].join('\n'),
      },
      skipBadRows: true,
    });
    await importRelationships(ctx, rels);
    expect(ctx.counts).toMatchObject({ relationshipsCreated: 2, relationshipsRejected: 5 });
    expect(ctx.errors.map((e) => [e.line, e.column, e.message.slice(0, 40)])).toEqual([
      [2, 'target', expect.stringMatching(/^unknown target CI "nope"/)],
      [3, 'source', expect.stringMatching(/^unknown source CI "ghost"/)],
      [4, 'target', expect.stringMatching(/^ambiguous target CI "Web": 3 CIs/)],
      [5, 'target', expect.any(String)],
      [7, 'min_up', expect.stringMatching(/^conflicting group settings/)],
    ]);
    const created = svc.db
      .prepare(
        `SELECT s.key, r.type, t.key AS target, r.redundancy_group, r.min_up FROM relationships r
         JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id WHERE r.created_import_id = ? ORDER BY r.id`,
      )
      .raw()
      .all(ctx.importId);
    expect(created).toEqual([
      ['app-1', 'runs_on', 'web-1', 'web', 1],
      ['app-1', 'runs_on', 'db-1', null, null],
    ]);
    svc.db.exec('ROLLBACK');
  });

  it('updates an existing relationship with history, leaves an unchanged one, and adds a type the registry lacks', async () => {
    const svc = await seeded();
    const { ctx, rels } = await started(svc.db, {
      relationships: {
        name: 'rels.csv',
        content: 'source,target,type,port\napp-1,db-1,depends_on,5432\napp-1,web-1,feeds_into,\n',
      },
    });
    await importRelationships(ctx, rels);
    expect(ctx.counts).toMatchObject({ relationshipsUpdated: 1, relationshipsCreated: 1, relationshipsRejected: 0 });
    expect(ctx.createdRelTypes).toEqual(['feeds_into']);
    const history = svc.db
      .prepare('SELECT entity, ci_key, related_key, action, changes FROM history WHERE import_id = ?')
      .all(ctx.importId);
    expect(history).toEqual([
      {
        entity: 'relationship',
        ci_key: 'app-1',
        related_key: 'db-1',
        action: 'update',
        changes: JSON.stringify({ attributes: { from: {}, to: { port: '5432' } } }),
      },
    ]);
    expect(ctx.rows.map((r) => [r.key, r.action])).toEqual([
      ['app-1 depends_on db-1', 'update'],
      ['app-1 feeds_into web-1', 'create'],
    ]);
    svc.db.exec('ROLLBACK');
  });

  it('a repeated relationship in one file is rejected, naming the earlier line', async () => {
    const svc = await seeded();
    const { ctx, rels } = await started(svc.db, {
      relationships: { name: 'rels.csv', content: 'source,target,type\napp-1,db-1,depends_on\napp-1,db-1,depends_on\n' },
    });
    await importRelationships(ctx, rels);
    expect(ctx.counts).toMatchObject({ relationshipsUnchanged: 1, relationshipsRejected: 1 });
    expect(ctx.errors[0]).toMatchObject({
      line: 3,
      column: 'target',
      message: expect.stringMatching(/: line 2 of this file lists the same source, target and type/),
    });
    svc.db.exec('ROLLBACK');
  });
});
