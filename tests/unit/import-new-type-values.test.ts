/**
 * The type values that make a new type are named with their rows (ImportResult.newTypeValues), so the wizard
 * can offer to map them; mapped by the mapping's typeValues and relTypeValues, they make none. Read on the
 * import thread or by the relationship planner's, the counts are the same.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { freshService, ok, tempDir } from './helpers.js';

const STORAGE = `Asset Tag,Hostname,CI Class,Support Group
AT-4001,nas-01,Storage Array,Storage Team
AT-4002,nas-02,Storage Array,Storage Team
AT-4003,fw-01,Firewall,Network Team
AT-4004,db-01,Database,DBA Team
`;
const DEPS = `Parent CI,Child CI,Relationship
nas-01,db-01,Feeds::Fed by
nas-02,db-01,Feeds::Fed by
db-01,nas-01,Stored on::Stores
fw-01,db-01,Feeds::Fed by
`;
const KEYED_DEPS = `Parent CI,Child CI,Relationship
AT-4001,AT-4004,Feeds::Fed by
AT-4002,AT-4004,Feeds::Fed by
AT-4004,AT-4001,Stored on::Stores
AT-4003,AT-4004,Feeds::Fed by
`;
const files = { cis: { name: 'storage.csv', content: STORAGE }, relationships: { name: 'storage-deps.csv', content: DEPS } };
const MAPPING = { cis: { id: 'Asset Tag', name: 'Hostname', type: 'CI Class', owner: 'Support Group' } };

describe('type values that make a new type', () => {
  it('are named with their column and rows; mapped with typeValues and relTypeValues, the import makes no new type', async () => {
    const svc = freshService();
    const dry = await ok(svc, 'importCsv', { ...files, mapping: MAPPING, dryRun: true });
    expect(dry.createdTypes.sort()).toEqual(['firewall', 'storage_array']);
    expect(dry.createdRelTypes).toEqual(['feeds']);
    expect(dry.newTypeValues).toEqual([
      { field: 'type', column: 'CI Class', value: 'Storage Array', type: 'storage_array', count: 2 },
      { field: 'type', column: 'CI Class', value: 'Firewall', type: 'firewall', count: 1 },
      { field: 'relType', column: 'Relationship', value: 'Feeds::Fed by', type: 'feeds', count: 3 },
    ]);
    const mapped = {
      ...MAPPING,
      typeValues: { 'Storage Array': 'storage', Firewall: 'network_device' },
      relTypeValues: { 'Feeds::Fed by': 'uses' },
    };
    const r = await ok(svc, 'importCsv', { ...files, mapping: mapped });
    expect(r).toMatchObject({ createdTypes: [], createdRelTypes: [], newTypeValues: [] });
    expect((await ok(svc, 'getCi', { key: 'AT-4001' })).ci.type).toBe('storage');
    expect((await ok(svc, 'getCi', { key: 'AT-4003' })).ci.type).toBe('network_device');
    const nas = await ok(svc, 'getCi', { key: 'AT-4001' });
    expect(nas.outgoing.map((o) => `${o.type} ${o.other.key}`)).toEqual(['uses AT-4004']);
  });

  // By key, the planner plans every row; by name, it hands the file over at its last row (a name to look up).
  for (const keyed of [true, false]) {
    it(`counts the relationship planner’s rows as the import thread counts its own (${keyed ? 'planned' : 'handed over'})`, async () => {
      const deps = keyed ? KEYED_DEPS : KEYED_DEPS.replace('AT-4003,AT-4004', 'fw-01,db-01');
      const run = async (parallelFrom: number) => {
        const db = openDatabase(join(tempDir(), 'a.db'));
        try {
          const input = { ...files, relationships: { name: 'deps.csv', content: deps }, mapping: MAPPING, dryRun: true, parallelFrom };
          return (await runImport(db, input)).newTypeValues;
        } finally {
          db.close();
        }
      };
      const here = await run(Number.POSITIVE_INFINITY);
      expect(here?.filter((v) => v.field === 'relType')).toEqual([
        { field: 'relType', column: 'Relationship', value: 'Feeds::Fed by', type: 'feeds', count: 3 },
      ]);
      expect(await run(0)).toEqual(here);
    });
  }
});
