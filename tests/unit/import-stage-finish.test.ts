/**
 * The finishing stage (import/stages/finish.ts) through its own interface:
 * the import's log record (counts, digest, created types, history mark,
 * committed status) and the result it returns, and, after a bulk load, the
 * secondary indexes and the search index back.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/cmdb/db.js';
import type { Helpers } from '../../electron/cmdb/import/bulk/helpers.js';
import { importCis } from '../../electron/cmdb/import/stages/cis.js';
import { ImportContext, type RunImportInput } from '../../electron/cmdb/import/stages/context.js';
import { finishImport } from '../../electron/cmdb/import/stages/finish.js';
import { openSources } from '../../electron/cmdb/import/stages/open-sources.js';
import { importRelationships } from '../../electron/cmdb/import/stages/relationships.js';
import { prepareImport } from '../../electron/cmdb/import/stages/prepare.js';
import { freshService, ok } from './helpers.js';

const noHelpers: Helpers = { searchIndex: null, planner: null, close: async () => {} };

/** Every stage before the finish, in runImport's order. */
async function through(db: Db, input: RunImportInput) {
  const sources = await openSources(input);
  const ctx = new ImportContext(db, input, sources, performance.now());
  db.exec('BEGIN IMMEDIATE');
  prepareImport(ctx, noHelpers);
  if (sources.cis) await importCis(ctx, sources.cis);
  if (sources.rels) await importRelationships(ctx, sources.rels);
  return { ctx, sources };
}

const CIS = { name: 'cis.csv', content: 'id,name,type\na,Alpha,gizmo\nb,Bravo,server\n' };
const RELS = { name: 'rels.csv', content: 'source,target,type\na,b,runs_on\n' };

const indexes = (db: Db) =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name").pluck().all();

describe('the finishing stage', () => {
  it('completes the import log record and returns the result', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { name: 'seed.csv', content: 'id,name,type\nz,Zulu,server\n' } });
    const { ctx, sources } = await through(svc.db, { cis: CIS, relationships: RELS, actor: 'test' });
    const result = await finishImport(ctx, sources);
    expect(result).toMatchObject({
      importId: ctx.importId,
      dryRun: false,
      mode: 'upsert',
      counts: { created: 2, relationshipsCreated: 1 },
      errors: [],
      errorsTruncated: false,
      createdTypes: ['gizmo'],
      createdRelTypes: [],
    });
    const rec = svc.db.prepare('SELECT * FROM imports WHERE id = ?').get(ctx.importId) as Record<string, unknown>;
    expect(rec).toMatchObject({
      status: 'committed',
      files: JSON.stringify(['cis.csv', 'rels.csv']),
      source: 'cis.csv',
      counts: JSON.stringify(ctx.counts),
      duration_ms: result.durationMs,
      content_hash: `${sources.cis!.digest()}:${sources.rels!.digest()}`,
      created_types: JSON.stringify(['gizmo']),
      created_rel_types: '[]',
      history_mark: svc.db.prepare('SELECT coalesce(max(id), 0) FROM history').pluck().get(),
    });
    expect(JSON.parse(rec.options as string)).toMatchObject({ actor: 'test', skipBadRows: false });
    svc.db.exec('COMMIT');
    expect((await ok(svc, 'listImports', {})).items[0]).toMatchObject({
      id: ctx.importId,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}:/),
    });
  });

  it('after a bulk load: the indexes and search triggers dropped for it are back, and the search index finds the CIs', async () => {
    const svc = freshService();
    const before = indexes(svc.db);
    const { ctx, sources } = await through(svc.db, { cis: CIS, relationships: RELS });
    expect(ctx.dropped).not.toBeNull();
    expect(indexes(svc.db).length).toBeLessThan(before.length);
    const result = await finishImport(ctx, sources);
    expect(result.dryRun).toBe(false);
    expect(ctx.dropped).toBeNull();
    expect(indexes(svc.db)).toEqual(before);
    svc.db.exec('COMMIT');
    expect((await ok(svc, 'listCis', { query: 'Bravo' })).items.map((c) => c.key)).toEqual(['b']);
  });
});
