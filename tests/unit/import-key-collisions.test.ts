/**
 * A second team's or tool's export keyed by its own numbers (GLPI's `ID`, Lansweeper's `AssetID`) names
 * CIs "1", "2", "3" another export wrote: its rows would overwrite them, renamed (found by a tester). When
 * most rows whose numbered key is a stored CI's rename it, the import is refused, nothing written
 * (import/stages/renames.ts), whatever the CIs' source (two tools' `cis.csv` share the default source; found
 * by a reviewer) but the source named with --source; `allowRenames` (`--allow-renames`) imports them; a
 * rename or two among many gets a note; keys that are not numbers (serials, host names) are not refused. A
 * sync under a new source by default says the keys collide rather than advising that source (source-split.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKeyCollision } from '../../shared/import.js';
import { buildRequest, settingsKey } from '../../renderer/src/import/wizard.js';
import { cmdb, dumpDb, dumpFile, ensureCliBuilt, fails, freshService, ok, tempDir } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });
const PARIS = file(
  'team-paris-servers.csv',
  'ID,Name,Type,Owner\n1,srv-par-01,Server,Team Paris\n2,srv-par-02,Server,Team Paris\n3,srv-par-03,Server,Team Paris\n',
);
const LYON = file(
  'team-lyon-servers.csv',
  'ID,Name,Type,Owner\n1,srv-lyo-01,Server,Team Lyon\n2,srv-lyo-02,Server,Team Lyon\n3,srv-lyo-03,Server,Team Lyon\n',
);

const REFUSED =
  'team-lyon-servers.csv: import refused: its keys (column ID) are numbers that name other CIs: 3 of the 3 rows whose key is a stored CI\'s would rename that CI (line 2: key "1" is srv-par-01 from team-paris-servers.csv; this file names it srv-lyo-01; line 3: key "2" is srv-par-02 from team-paris-servers.csv; this file names it srv-lyo-02). Each would overwrite another CI, keeping its relationships. Nothing was imported. Key the file by a column unique across the tools, in a mapping (--mapping FILE.json): its names (column Name), or a column you add of keys with a prefix of their own (GLPI-1, say); key its relationships file\'s ends the same way. If these rows are the same CIs renamed, add --allow-renames.';

/** Paris's servers, and a web shop that runs on the first. */
async function paris(door: 'cli' | 'ui' = 'cli') {
  const svc = freshService(':memory:', door);
  await ok(svc, 'importCsv', { cis: PARIS });
  await ok(svc, 'importCsv', {
    cis: file('webshop.csv', 'Name,Type\nWeb shop,Application\n'),
    relationships: file('par-rels.csv', 'source,target,type\nWeb shop,1,runs_on\n'),
  });
  return svc;
}

const names = (svc: ReturnType<typeof freshService>) =>
  svc.db.prepare("SELECT key, name, owner, source FROM cis WHERE type = 'server' ORDER BY key").raw().all();

describe("a file whose keys are another source's CIs' keys, with other names", () => {
  it('is refused, naming the file, the key column, the count and the first rows, and what to do; the CMDB is as it was', async () => {
    const svc = await paris();
    const before = dumpDb(svc.db);
    const err = await fails(svc, 'importCsv', { cis: LYON });
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toBe(REFUSED);
    expect(err.details).toEqual({
      file: 'team-lyon-servers.csv',
      keyColumn: 'ID',
      renamed: 3,
      matched: 3,
      renamedFrom: ['team-paris-servers.csv'],
    });
    expect(dumpDb(svc.db)).toBe(before);
    // The dry run reports the same refusal, and writes nothing either.
    const dry = await fails(svc, 'importCsv', { cis: LYON, dryRun: true });
    expect([dry.code, dry.message]).toEqual(['INVALID_REQUEST', REFUSED]);
    expect(dumpDb(svc.db)).toBe(before);
    // Keyed by name, as the refusal says, Lyon's servers are CIs of their own.
    const byName = await ok(svc, 'importCsv', { cis: LYON, mapping: { cis: { id: 'Name' } } });
    expect([byName.counts.created, byName.counts.updated, byName.warnings]).toEqual([3, 0, []]);
  });

  it('the wizard is told in its words, offers Allow renames, and sends it', async () => {
    const svc = await paris('ui');
    const err = await fails(svc, 'importCsv', { cis: LYON });
    expect([isKeyCollision(err.details), isKeyCollision({ earlierSources: [] }), isKeyCollision(undefined)]).toEqual([true, false, false]);
    const settings = { entries: [], mode: 'upsert' as const, skipBad: false };
    expect(buildRequest({ ...settings, allowRenames: true })).toMatchObject({ allowRenames: true });
    expect(buildRequest(settings)).not.toHaveProperty('allowRenames');
    expect(settingsKey({ ...settings, allowRenames: true })).not.toBe(settingsKey(settings));
    expect(err.message).toContain(
      "Key the file by a column unique across the tools, as its Key (id) in the file’s column mapping: its names (column Name), or a column you add of keys with a prefix of their own (GLPI-1, say); key its relationships file's ends the same way. If these rows are the same CIs renamed, import again with “Allow renames” (How to import).",
    );
  });

  it('with allowRenames the rows rename those CIs, and the note counts them', async () => {
    const svc = await paris();
    const r = await ok(svc, 'importCsv', { cis: LYON, allowRenames: true });
    expect([r.counts.created, r.counts.updated]).toEqual([0, 3]);
    expect(r.warnings).toEqual([
      'team-lyon-servers.csv: 3 rows renamed CIs another source wrote (line 2: key "1" is srv-par-01 from team-paris-servers.csv; this file names it srv-lyo-01; line 3: key "2" is srv-par-02 from team-paris-servers.csv; this file names it srv-lyo-02). If they are not the same CIs renamed but other CIs under the same keys, undo this import and key the file by a column unique across the tools.',
    ]);
    expect(names(svc)).toEqual([
      ['1', 'srv-lyo-01', 'Team Lyon', 'team-lyon-servers.csv'],
      ['2', 'srv-lyo-02', 'Team Lyon', 'team-lyon-servers.csv'],
      ['3', 'srv-lyo-03', 'Team Lyon', 'team-lyon-servers.csv'],
    ]);
  });

  it('a genuine rename among many rows of another source is imported, with a note naming it', async () => {
    const svc = freshService();
    const rows = (renamed: boolean) =>
      Array.from(
        { length: 10 },
        (_, i) => `${i + 1},${i === 4 && renamed ? 'srv-05-new' : `srv-${String(i + 1).padStart(2, '0')}`},Server`,
      );
    await ok(svc, 'importCsv', { cis: file('servers-week1.csv', ['ID,Name,Type', ...rows(false)].join('\n')) });
    const r = await ok(svc, 'importCsv', { cis: file('servers-week2.csv', ['ID,Name,Type', ...rows(true)].join('\n')) });
    expect([r.counts.updated, r.counts.unchanged]).toEqual([1, 9]);
    expect(r.warnings).toEqual([
      'servers-week2.csv: 1 row renamed a CI another source wrote (line 6: key "5" is srv-05 from servers-week1.csv; this file names it srv-05-new). If it is not the same CI renamed but other CIs under the same keys, undo this import and key the file by a column unique across the tools.',
    ]);
    // A rename within the import's own source is an ordinary update.
    const own = await ok(svc, 'importCsv', { cis: file('servers-week2.csv', ['ID,Name,Type', ...rows(false)].join('\n')) });
    expect([own.counts.updated, own.warnings]).toEqual([1, []]);
    // One row is no pattern: a sheet that renames one CI of another source means it, and is noted.
    const single = await ok(svc, 'importCsv', { cis: file('rename.csv', 'ID,Name,Type\n7,srv-07-b,Server\n') });
    expect([single.counts.updated, single.warnings]).toEqual([
      1,
      [expect.stringContaining('rename.csv: 1 row renamed a CI another source wrote (line 2: key "7" is srv-07 from servers-week1.csv;')],
    ]);
  });
});

describe('key collisions whatever the source, and what is not one (found by a reviewer)', () => {
  it("two tools' files of one name (the same default source) collide too; a --source of its own export renames", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: { ...PARIS, name: 'cis.csv' } });
    const before = dumpDb(svc.db);
    const err = await fails(svc, 'importCsv', { cis: { ...LYON, name: 'cis.csv' } });
    expect(err.message).toContain('cis.csv: import refused: its keys (column ID) are numbers that name other CIs: 3 of the 3 rows');
    expect(err.message).toContain('line 2: key "1" is srv-par-01 from cis.csv; this file names it srv-lyo-01');
    // A sync of either file would retire the other's CIs: the refusal says to import it under a source of its own.
    expect(err.message).toContain(
      "key its relationships file's ends the same way, and if it is another tool's file of this name, import it under its own --source NAME. If these rows are the same CIs renamed (this file's next export), add --allow-renames.",
    );
    // Nothing but their names tells the two apart (found by a reviewer): refused too.
    const bare = freshService();
    await ok(bare, 'importCsv', { cis: file('cis.csv', 'ID,Name,Type\n1,srv-par-01,Server\n2,srv-par-02,Server\n3,srv-par-03,Server\n') });
    await fails(bare, 'importCsv', {
      cis: file('cis.csv', 'ID,Name,Type\n1,srv-lyo-01,Server\n2,srv-lyo-02,Server\n3,srv-lyo-03,Server\n'),
    });
    expect(dumpDb(svc.db)).toBe(before);
    // Its own export under the source it names: the user means the renames.
    const own = await ok(svc, 'importCsv', { cis: { ...LYON, name: 'cis.csv' }, source: 'cis.csv' });
    expect(own.counts.updated).toBe(3);
  });

  it('keys that are not numbers (serials, host names) are the same things in every tool: renamed with a note, not refused', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('disc.csv', 'id,name,type\nSN-1,srv-par-01,server\nSN-2,srv-par-02,server\n') });
    const r = await ok(svc, 'importCsv', {
      cis: file('assets.csv', 'id,name,type\nSN-1,PAR-SRV-01,server\nSN-2,PAR-SRV-02,server\n'),
    });
    expect(r.counts.updated).toBe(2);
    expect(r.warnings).toEqual([expect.stringContaining('assets.csv: 2 rows renamed CIs another source wrote')]);
  });

  it('numbers as a sheet writes them (1.0, 1,001, 1 001) are numbers too (found by a tester)', async () => {
    for (const [a, b, c] of [
      ['1.0', '2.0', '3.0'],
      ['"1,001"', '"1,002"', '"1,003"'],
      ['1 001', '1 002', '1 003'],
    ]) {
      const svc = freshService();
      const sheet = (team: string) =>
        `ID,Name,Type,Owner\n${a},srv-${team}-01,Server,${team}\n${b},srv-${team}-02,Server,${team}\n${c},srv-${team}-03,Server,${team}\n`;
      await ok(svc, 'importCsv', { cis: file('cis.csv', sheet('par')) });
      const err = await fails(svc, 'importCsv', { cis: file('cis.csv', sheet('lyo')) });
      expect(err.message, a).toContain('are numbers that name other CIs: 3 of the 3 rows');
    }
  });

  it('host names given their domain (or losing it) are no renames: an export that does so throughout goes ahead (found by a tester)', async () => {
    const svc = freshService();
    const week = (names: string[]) =>
      file('servers.csv', ['AssetID,AssetName,Type', ...names.map((n, i) => `${101 + i},${n},server`)].join('\n'));
    await ok(svc, 'importCsv', { cis: week(['web01', 'web02', 'db01']), mode: 'sync' });
    const fqdn = await ok(svc, 'importCsv', {
      cis: week(['web01.corp.example.com', 'web02.corp.example.com', 'db01.corp.example.com']),
      mode: 'sync',
    });
    expect([fqdn.counts.updated, fqdn.counts.retired, fqdn.warnings]).toEqual([3, 0, []]);
  });

  it('names that differ only in case are no renames; an update-only sheet of numbered keys that renames is refused alike', async () => {
    const svc = await paris();
    const cased = await ok(svc, 'importCsv', { cis: file('upper.csv', 'ID,Name,Type\n1,SRV-PAR-01,Server\n2,SRV-PAR-02,Server\n') });
    expect([cased.counts.updated, cased.warnings]).toEqual([2, []]);
    // Nor spacing (shown alike in a message, they read as no rename).
    const other = freshService();
    await ok(other, 'importCsv', { cis: file('a.csv', 'ID,Name,Type,Owner\n1,Web 01,Server,a\n2,Web 02,Server,a\n') });
    const spaced = await ok(other, 'importCsv', { cis: file('b.csv', 'ID,Name,Type,Owner\n1,Web  01,Server,b\n2,Web   02,Server,b\n') });
    expect(spaced.counts.updated).toBe(2);
    const err = await fails(svc, 'importCsv', { cis: LYON, mode: 'update-only' });
    expect(err.message).toContain('Each would overwrite another CI, keeping its relationships.');
  });
});

describe('a sync under a new source by default, whose keys collide with an earlier source', () => {
  it('says the keys collide instead of advising --source of that source', async () => {
    const svc = await paris();
    const before = dumpDb(svc.db);
    const err = await fails(svc, 'importCsv', { cis: LYON, mode: 'sync' });
    expect(err.message).toBe(REFUSED);
    expect(err.message).not.toContain('--source');
    expect(dumpDb(svc.db)).toBe(before);
    // Told they are the same CIs renamed, the sync is a re-export of that source again: the advice names it.
    const allowed = await fails(svc, 'importCsv', { cis: LYON, mode: 'sync', allowRenames: true });
    expect(allowed.message).toContain('To sync that source, add --source team-paris-servers.csv');
  });
});

describe('cmdb import --allow-renames', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('is refused without it (exit 2, nothing written), imports with it, and --help names it', () => {
    const dir = tempDir();
    const db = join(dir, 'ids.db');
    for (const f of [PARIS, LYON]) writeFileSync(join(dir, f.name), f.content);
    expect(cmdb(['import', '--db', db, '--cis', join(dir, PARIS.name)]).code).toBe(0);
    const before = dumpFile(db);
    const refused = cmdb(['import', '--db', db, '--cis', join(dir, LYON.name)]);
    expect([refused.code, refused.stderr.trim()]).toEqual([2, `cmdb: ${REFUSED}`]);
    const dry = cmdb(['import', '--db', db, '--cis', join(dir, LYON.name), '--dry-run']);
    expect([dry.code, dry.stderr.trim()]).toEqual([2, `cmdb: ${REFUSED}`]);
    expect(dumpFile(db)).toBe(before);
    const allowed = cmdb(['import', '--db', db, '--cis', join(dir, LYON.name), '--allow-renames']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('CIs 0 created, 3 updated');
    expect(allowed.stdout).toContain('Note: team-lyon-servers.csv: 3 rows renamed CIs another source wrote');
    expect(cmdb(['import', '--help']).stdout).toContain('--allow-renames');
  });
});

describe('numbered keys a spreadsheet formatted (found by a tester)', () => {
  const sheet = (keys: string[]) => file('cis.csv', ['ID,Name,Type', ...keys.map((k, i) => `${k},web-0${i + 1},Server`)].join('\n') + '\n');

  it('a re-saved export whose keys read 1,001 or 1001.0 is refused, nothing written, in every mode; one such row is its own key', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: sheet(['1001', '1002', '1003']), mode: 'sync' });
    const before = dumpDb(svc.db);
    for (const keys of [
      ['"1,001"', '"1,002"', '"1,003"'],
      ['1 001', '1 002', '1 003'],
      ['1001.0', '1002.0', '1003.0'],
    ])
      for (const mode of ['upsert', 'sync', 'update-only'] as const) {
        const err = await fails(svc, 'importCsv', { cis: sheet(keys), mode });
        expect(err.message, `${keys[0]} ${mode}`).toMatch(
          /^cis\.csv: import refused: 3 rows' keys \(column ID\) are stored CIs' keys written as a spreadsheet formats numbers \(line 2: "1[ ,.]?001(\.0)?" is the stored CI 1001, web-01; line 3: /,
        );
        expect(err.message).toContain('Write the key column without separators or decimals');
        expect(dumpDb(svc.db)).toBe(before);
      }
    // One such row among others is no pattern: its own CI, with a note.
    const one = await ok(svc, 'importCsv', { cis: file('more.csv', 'ID,Name,Type\n"1,002",web-02,Server\n5000,web-50,Server\n') });
    expect([one.counts.created, one.warnings]).toEqual([
      2,
      [
        'more.csv: 1 row\'s key (column ID) is a stored CI\'s key written as a spreadsheet formats numbers (line 2: "1,002" is the stored CI 1002, web-02), and was imported as a CI of its own. If it is that CI, undo this import, write the key without separators or decimals and import again.',
      ],
    ]);
  });
});
