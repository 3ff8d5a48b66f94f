/**
 * A re-import tells a row that changes nothing by its digest (stages/stored-cis.ts) and reads no more of
 * its CI; any other row is compared field by field as before. Whatever the digest says, the verdicts are
 * the field-by-field ones: unchanged when the file leaves out fields or attributes the CI has, or holds
 * the digest's separator; updated, with its history, when one field differs.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/cmdb/db.js';
import { runImport } from '../../electron/cmdb/import/engine.js';

const file = (name: string, lines: string[]) => ({ name, content: `${lines.join('\n')}\n` });
const HEADER = 'id,name,type,owner,description,rack,vendor';
const ROWS = [
  'web-1,Web 1,server,team-a,Front end,A1,Dell',
  'web-2,Web\x1f2,server,team-a,Name holds the separator,A2,Dell',
  'db-1,DB 1,database,,,B1,',
  'db-2,DB 2,database,team-b,"Line one\nline two",B2,HPE',
];

async function reimport(lines: string[], mode: 'sync' | 'upsert' = 'upsert') {
  const db: Db = openDatabase(':memory:');
  await runImport(db, { cis: file('cis.csv', [HEADER, ...ROWS]) });
  const before = db.prepare('SELECT key, type, name, owner, description, attributes FROM cis ORDER BY key').all();
  const r = await runImport(db, { cis: file('cis.csv', lines), mode, rowsLimit: 100 });
  const after = db.prepare('SELECT key, type, name, owner, description, attributes FROM cis ORDER BY key').all();
  const history = db
    .prepare("SELECT ci_key, changes FROM history WHERE entity = 'ci' AND action = 'update' ORDER BY id")
    .raw()
    .all() as unknown[][];
  db.close();
  return { r, before, after, history };
}

describe('a re-import by digest', () => {
  it('the same file: every row unchanged, nothing written', async () => {
    const { r, before, after, history } = await reimport([HEADER, ...ROWS]);
    expect(r.counts).toMatchObject({ unchanged: 4, updated: 0 });
    expect(after).toEqual(before);
    expect(history).toEqual([]);
  });

  it('a file without some fields and attributes the CIs have: unchanged, and they are kept', async () => {
    const lines = [
      'id,name,type,rack',
      'web-1,Web 1,server,A1',
      'web-2,Web\x1f2,server,A2',
      'db-1,DB 1,database,B1',
      'db-2,DB 2,database,B2',
    ];
    const { r, before, after, history } = await reimport(lines);
    expect(r.counts).toMatchObject({ unchanged: 4, updated: 0 });
    expect(after).toEqual(before);
    expect(history).toEqual([]);
  });

  it('one field or attribute different: updated, with its history; the rest unchanged', async () => {
    const lines = [HEADER, ROWS[0]!.replace('team-a', 'team-z'), ROWS[1]!.replace('A2', 'A9'), ROWS[2]!, ROWS[3]!];
    const { r, history } = await reimport(lines);
    expect(r.counts).toMatchObject({ unchanged: 2, updated: 2 });
    expect(history).toEqual([
      ['web-1', JSON.stringify({ owner: { from: 'team-a', to: 'team-z' } })],
      ['web-2', JSON.stringify({ attributes: { from: { rack: 'A2', vendor: 'Dell' }, to: { rack: 'A9', vendor: 'Dell' } } })],
    ]);
  });

  it('an emptied cell is a change, not the same as a value "n"', async () => {
    const lines = [HEADER, 'web-1,Web 1,server,,Front end,A1,Dell', ROWS[1]!, 'db-1,DB 1,database,n,,B1,', ROWS[3]!];
    const { r, history } = await reimport(lines, 'sync');
    expect(r.counts).toMatchObject({ unchanged: 2, updated: 2 });
    expect(history.map((h) => h[0])).toEqual(['web-1', 'db-1']);
  });
});
