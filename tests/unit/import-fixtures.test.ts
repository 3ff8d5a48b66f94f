/**
 * The walk-through files of docs/import.md (tests/fixtures/import): a Windows-1252,
 * semicolon-separated spreadsheet with its mapping, and a ServiceNow
 * cmdb_ci / cmdb_rel_ci export with same-named CIs told apart by class.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMappingFile } from '../../electron/cli/import-commands.js';
import { freshService, ok, ROOT } from './helpers.js';

const FX = join(ROOT, 'tests', 'fixtures', 'import');

describe('docs/import.md example files', () => {
  it('a messy spreadsheet: detected encoding and delimiter, mapping with value map and defaults', async () => {
    const svc = freshService();
    const path = join(FX, 'spreadsheet-cp1252.csv');
    const p = await ok(svc, 'previewCsv', { file: { path } });
    expect(p).toMatchObject({ encoding: 'windows1252', delimiter: ';', kind: 'cis' });
    expect(p.suggested.cis).toEqual({ name: 'Hostname', type: 'Kind', owner: 'Team', description: 'Notes' });
    const r = await ok(svc, 'importCsv', { cis: { path }, mapping: readMappingFile(join(FX, 'spreadsheet-mapping.json')) });
    expect(r.counts.created).toBe(3);
    expect((await ok(svc, 'getCi', { key: 'server:beta' })).ci).toMatchObject({
      owner: 'Ops Zürich',
      description: 'standby; warm',
      environment: 'production',
      attributes: { Zone: 'DMZ' },
    });
    // An empty type cell takes the mapping's default type.
    expect((await ok(svc, 'getCi', { key: 'virtual_machine:gamma' })).ci.owner).toBe('Ops Genève');
  });

  it('a ServiceNow export: classes, pairs, reversed membership, same-named CIs told apart by class', async () => {
    const svc = freshService();
    const mapping = JSON.parse(readFileSync(join(FX, 'servicenow-mapping.json'), 'utf8'));
    const r = await ok(svc, 'importCsv', {
      cis: { path: join(FX, 'servicenow-cmdb_ci.csv') },
      relationships: { path: join(FX, 'servicenow-cmdb_rel_ci.csv') },
      mapping,
    });
    expect(r.counts).toMatchObject({ created: 7, relationshipsCreated: 6, rejected: 0, relationshipsRejected: 0 });
    const rels = async (key: string) => (await ok(svc, 'getCi', { key })).outgoing.map((o) => `${o.type} ${o.other.key}`).sort();
    expect(await rels('7f2a40')).toEqual(['depends_on 7f2a10']);
    expect(await rels('7f2a10')).toEqual(['depends_on 7f2a20', 'runs_on 7f2a30']);
    expect(await rels('7f2a01')).toEqual(['member_of 7f2a30']);
    expect(await rels('7f2a20')).toEqual(['hosted_on 7f2a21']);
    expect((await ok(svc, 'getCi', { key: '7f2a40' })).ci.type).toBe('business_service');
  });
});
