/**
 * Keys that differ only in case are different CIs (keys are case-sensitive);
 * an import says so when its file has such keys, among its own rows or
 * beside a key the CMDB had, and a sync whose file's keys changed case says
 * that, not that the file is keyed by another column.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseTwins } from '../../electron/cmdb/import/stages/case-twins.js';
import { freshService, ok } from './helpers.js';

const file = (name: string, content: string) => ({ name, content });
const caseNotes = (warnings: string[]) => warnings.filter((w) => w.includes('differ only in case'));

describe('keys that differ only in case', () => {
  it("among the file's own rows: two CIs, and a note naming the first pair and how many more", async () => {
    for (const rowsLimit of [200, 0]) {
      // Into an empty CMDB (a bulk load; with rowsLimit 0 written in batches), then into one with CIs.
      const svc = freshService();
      const content = 'id,name,type\nSRV-1,a,server\nsrv-1,d,server\n42,n,server\nweb-2,w,server\nWEB-2,W,server\nWeb-2,W2,server\n';
      const r = await ok(svc, 'importCsv', { cis: file('hosts.csv', content), rowsLimit });
      expect(r.counts.created).toBe(6);
      expect(caseNotes(r.warnings)).toEqual([
        `hosts.csv: keys that differ only in case are different CIs, as keys are case-sensitive: "srv-1" on line 3 and "SRV-1" on line 2 (and 2 more rows whose key differs so from an earlier row's). If they are one CI, undo this import (import ${r.importId}), write its key one way on every row, and import again.`,
      ]);
      const again = await ok(svc, 'importCsv', { cis: file('hosts.csv', content), dryRun: true });
      expect(again.counts.unchanged).toBe(6);
      expect(caseNotes(again.warnings)).toEqual([
        `hosts.csv: keys that differ only in case are different CIs, as keys are case-sensitive: "srv-1" on line 3 and "SRV-1" on line 2 (and 2 more rows whose key differs so from an earlier row's). If they are one CI, write its key one way on every row before importing.`,
      ]);
    }
  });

  it('beside a key the CMDB had that the file does not list: a note naming both', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('a.csv', 'id,name,type\nSRV-3,app-3,server\ndb-01,Main DB,database\n') });
    const r = await ok(svc, 'importCsv', {
      cis: file('b.csv', 'id,name,type\nsrv-3,app-3b,server\nDB-01,x,database\ndb-01,Main DB,database\n'),
    });
    expect(r.counts).toMatchObject({ created: 2, unchanged: 1 });
    // srv-3 beside the stored SRV-3 (not listed); DB-01 beside db-01, which the file lists too (a pair of its own rows).
    expect(caseNotes(r.warnings)).toEqual([
      expect.stringMatching(
        /^b\.csv: keys that differ only in case are different CIs, as keys are case-sensitive: "db-01" on line 4 and "DB-01" on line 3\./,
      ),
      `b.csv: "srv-3" in this file and "SRV-3", a key the CMDB had, differ only in case, and keys are case-sensitive: this import created "srv-3" as a CI of its own. If they are one CI, undo this import (import ${r.importId}), write the key as the CMDB has it ("SRV-3"), and import again.`,
    ]);
  });

  it('says nothing of keys of one case, numbers, or a key repeated exactly (a duplicate, its own error)', async () => {
    const svc = freshService();
    const r = await ok(svc, 'importCsv', {
      cis: file('c.csv', 'id,name,type\nSRV-1,a,server\nSRV-2,b,server\n1,n,server\n01,m,server\nSRV-1,again,server\n'),
      skipBadRows: true,
    });
    expect(r.counts).toMatchObject({ created: 4, rejected: 1 });
    expect(caseNotes(r.warnings)).toEqual([]);
    const more = await ok(svc, 'importCsv', { cis: file('d.csv', 'id,name,type\nSRV-3,c,server\nsrv-4,d,server\n') });
    expect(caseNotes(more.warnings)).toEqual([]);
  });

  it('counts, in one pass, the rows whose key differs only in case from the first row of its folded key (property)', () => {
    const fold = (k: string) => k.replace(/[A-Z]/g, (c) => c.toLowerCase());
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[aAbB1-]{0,4}$/), { maxLength: 300 }), (keys) => {
        const twins = new CaseTwins(null as never, false);
        keys.forEach((k, i) => twins.add(k, i + 2));
        const firstOf = new Map<string, string>();
        let expected = 0;
        for (const k of keys) {
          const f = fold(k);
          const first = firstOf.get(f);
          if (first === undefined) firstOf.set(f, k);
          else if (first !== k) expected++;
        }
        expect(twins.twins).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('finds them across the growth of its table', () => {
    const twins = new CaseTwins(null as never, false);
    for (let i = 0; i < 20_000; i++) twins.add(`Host-${i}`, i + 2);
    expect(twins.twins).toBe(0);
    for (let i = 0; i < 20_000; i += 1000) twins.add(`host-${i}`, 30_000 + i);
    twins.add('Host-5', 50_000); // the same key again: no twin
    expect(twins.twins).toBe(20);
  });
});

describe('names that differ only in case, in a file keyed by type and name (found by a tester)', () => {
  const sheet =
    'Hostname,Kind,Owner\napp-01 ,Application,Team Shop\nweb-01,Server,Team Web\nWeb-01 ,server,team web\nWEB-01,Server ,Team Web\n';

  it('speaks of the names the file wrote, their type, and a key column, where the file has none', async () => {
    const svc = freshService();
    const dry = await ok(svc, 'importCsv', { cis: file('servers.csv', sheet), dryRun: true });
    expect(dry.counts.created).toBe(4);
    expect(caseNotes(dry.warnings)).toEqual([
      'servers.csv: names that differ only in case are different CIs, as a file without a key column keys each CI by its type and name, and keys are case-sensitive: "Web-01" on line 4 and "web-01" on line 3, both of type server (and 1 more row whose name differs so from an earlier row\'s). If they are one CI, write its name one way on every row before importing, or add a key column.',
    ]);
    const r = await ok(svc, 'importCsv', { cis: file('servers.csv', sheet) });
    expect(caseNotes(r.warnings)[0]).toMatch(
      new RegExp(
        `If they are one CI, undo this import \\(import ${r.importId}\\), write its name one way on every row, or add a key column, and import again\\.$`,
      ),
    );
    // A later file of the name in another case, beside a CI the CMDB had and the file does not list.
    const later = await ok(svc, 'importCsv', {
      cis: file('more.csv', 'Hostname,Kind\napp-01,application\nAPP-01,application\nweb-9,server\n'),
      dryRun: true,
    });
    expect(caseNotes(later.warnings)).toEqual([
      expect.stringMatching(
        /^more\.csv: names that differ only in case .*"APP-01" on line 3 and "app-01" on line 2, both of type application\./,
      ),
    ]);
    const stored = await ok(svc, 'importCsv', {
      cis: file('one.csv', 'Hostname,Kind\nweb-9,server\nWEB-01,server\nApp-01,application\n'),
      dryRun: true,
    });
    expect(caseNotes(stored.warnings)).toEqual([
      'one.csv: "App-01" in this file and "app-01", the name of a CI of type application that the CMDB had, differ only in case, and a file without a key column keys each CI by its type and name, and keys are case-sensitive: this import would create "App-01" as a CI of its own. If they are one CI, write the name as the CMDB has it ("app-01") before importing.',
    ]);
  });

  it('speaks of keys where the file has a key column', async () => {
    const keyed = 'Id,Hostname,Kind\nA1,app-01,Application\nweb-01,web-01,Server\nWeb-01,Web-01,server\n';
    const r = await ok(freshService(), 'importCsv', { cis: file('keyed.csv', keyed), mapping: { cis: { id: 'Id' } }, dryRun: true });
    expect(caseNotes(r.warnings)).toEqual([
      'keyed.csv: keys that differ only in case are different CIs, as keys are case-sensitive: "Web-01" on line 4 and "web-01" on line 3. If they are one CI, write its key one way on every row before importing.',
    ]);
  });
});

describe('an update-only import of keys no CI has (found by a tester)', () => {
  it("names a row whose key differs only in case from a stored CI's, as upsert does, and the other skipped rows", async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('base.csv', 'id,name,type\nAPP-API,Api,application\n') });
    const owners = file('own.csv', 'id,owner\napp-api,team-api\nNOPE-1,team-x\n');
    const r = await ok(svc, 'importCsv', { cis: owners, mode: 'update-only' });
    expect(r.counts).toMatchObject({ updated: 0, skipped: 2 });
    expect(r.warnings).toEqual([
      'own.csv: "app-api" on line 2 and "APP-API", a key the CMDB has, differ only in case, and keys are case-sensitive: this update-only import skipped the row (it creates no CI), and APP-API was not updated. If they are one CI, write the key as the CMDB has it ("APP-API"), in the file or in the export that writes it, and import again.',
      'own.csv: this update-only import skipped 1 row whose key no CI has (it creates no CI): NOPE-1 (line 3). If a key is mistyped, correct it and import again; to create these CIs, import with --mode upsert.',
    ]);
    const dry = await ok(svc, 'importCsv', { cis: owners, mode: 'update-only', dryRun: true });
    expect(dry.warnings[0]).toContain('would skip the row (it creates no CI), and APP-API would not be updated');
  });

  it('names the first few skipped rows and counts the rest, into an empty CMDB too', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
    const content = `id,owner\n${keys.map((k) => `${k},team`).join('\n')}\n`;
    for (const seeded of [false, true]) {
      const svc = freshService();
      if (seeded) await ok(svc, 'importCsv', { cis: file('base.csv', 'id,name,type\nK1,one,server\n') });
      const r = await ok(svc, 'importCsv', { cis: file('o.csv', content), mode: 'update-only' });
      expect(r.counts.skipped).toBe(8);
      const named = seeded
        ? 'k0 (line 2), k2 (line 4), k3 (line 5), k4 (line 6), k5 (line 7) and 2 more'
        : 'k0 (line 2), k1 (line 3), k2 (line 4), k3 (line 5), k4 (line 6) and 3 more';
      expect(r.warnings.at(-1)).toBe(
        `o.csv: this update-only import skipped ${seeded ? 7 : 8} rows whose keys no CI has (it creates no CI): ${named}. If a key is mistyped, correct it and import again; to create these CIs, import with --mode upsert.`,
      );
      expect(r.warnings.filter((w) => w.includes('differ only in case'))).toHaveLength(seeded ? 1 : 0);
    }
  });
});

describe('a sync whose file lists its keys in another case', () => {
  it('says the keys changed case (not another column), once', async () => {
    const svc = freshService();
    const sync = (name: string, content: string, dryRun = false) =>
      ok(svc, 'importCsv', { cis: file(name, content), mode: 'sync', source: 'weekly', dryRun });
    await sync('w1.csv', 'id,name,type\nSRV-001,a,server\nSRV-002,b,server\n');
    const dry = await sync('w2.csv', 'id,name,type\nsrv-001,a,server\nSRV-002,b,server\n', true);
    expect(dry.warnings.filter((w) => w.includes('another key') || w.includes('case'))).toEqual([
      'w2.csv: 1 CI this import would create has the type and name of a CI that source "weekly" had before under a key that differs only in case, which the file no longer lists (a, a server, is SRV-001 in the CMDB and srv-001 in this file). The file\'s keys changed case since the last import of it, and keys are case-sensitive: each such row would make a second CI of the same thing. Write the keys as the CMDB has them (SRV-001): in the file, or in the export that writes it.',
    ]);
    const r = await sync('w2.csv', 'id,name,type\nsrv-001,a,server\nSRV-002,b,server\n');
    expect(r.counts).toMatchObject({ created: 1, retired: 1 });
    const notes = r.warnings.filter((w) => w.includes('another key') || w.includes('case'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Undo this import and write the keys as the CMDB has them (SRV-001)');
    expect(notes[0]).not.toContain('keyed by another column');
  });
});

describe('a sync whose file went through a spreadsheet that dropped its keys’ leading zeros', () => {
  it('says the zeros were lost (not another column), and how to keep them (found by a tester)', async () => {
    const svc = freshService();
    const sync = (content: string, dryRun = false) =>
      ok(svc, 'importCsv', { cis: file('assets.csv', content), mode: 'sync', source: 'assets', dryRun });
    await sync('Asset Tag;Server Name;Type\n000101;app-01;server\n000102;app-02;server\n000103;db-01;server\n');
    const resaved = 'Asset Tag;Server Name;Type\n101;app-01;server\n102;app-02;server\n103;db-01;server\n';
    const dry = await sync(resaved, true);
    expect(dry.counts).toMatchObject({ created: 3, retired: 3 });
    expect(dry.warnings.filter((w) => w.includes('key'))).toEqual([
      'assets.csv: 3 CIs this import would create have the type and name of a CI that source "assets" had before under the same key with leading zeros, which the file no longer lists (app-01, a server, is 000101 in the CMDB and 101 in this file). The file went through a spreadsheet that read its key column as numbers and dropped the zeros: each such row would make a second CI of the same thing. Import the export as it came, or open it in the spreadsheet with that column\'s type set to Text (in Excel: Data > From Text/CSV > Transform Data, then Data Type: Text) before saving it.',
    ]);
  });
});

describe('a sync after this version learnt a type word (the CIs keyed by type and name get new keys)', () => {
  it('says the type word is read as another type now, and how to keep the CIs as they are (found by a reviewer)', async () => {
    const svc = freshService();
    const content = 'Name;Typ\nPAYDB;Datenbank\nweb-01;Server\n';
    const sync = (mapping?: { typeValues: Record<string, string> }, dryRun = false) =>
      ok(svc, 'importCsv', {
        cis: file('inventar.csv', content),
        mode: 'sync',
        source: 'inventar',
        dryRun,
        ...(mapping ? { mapping } : {}),
      });
    // As an earlier version read it: Datenbank was a type of its own.
    await sync({ typeValues: { Datenbank: 'datenbank' } });
    const dry = await sync(undefined, true);
    expect(dry.counts).toMatchObject({ created: 1, retired: 1, unchanged: 1 });
    expect(dry.warnings.filter((w) => w.includes('another type'))).toEqual([
      'inventar.csv: 1 CI this import would create is a CI that source "inventar" had before as another type, which the file no longer lists (PAYDB is datenbank:PAYDB, a datenbank, in the CMDB and database:PAYDB, a database, now): this version reads the file\'s type word as database (the registry\'s type for it), and a CI keyed by its type and name gets a new key with it, so each such row would make a second CI of the same thing. To keep the CIs as they are, import with "typeValues": { "<the file\'s type for datenbank>": "datenbank" } in the mapping, or key the file by a column of its own (id).',
    ]);
    // With the word kept, nothing changes.
    expect((await sync({ typeValues: { Datenbank: 'datenbank' } }, true)).counts).toMatchObject({ created: 0, retired: 0, unchanged: 2 });
  });
});

describe('a file whose name column holds the CMDB’s keys', () => {
  it('says each created CI is named with the key of one the CMDB has, and to key the file by that column (found by a tester)', async () => {
    const svc = freshService();
    await ok(svc, 'importCsv', { cis: file('cmdb.csv', 'id,name,type\nvm-vault-01,Vault node 01,virtual_machine\n') });
    const servers = file(
      'new-servers.csv',
      'Hostname,Server Name,Class\nvm-vault-01,Vault node 01,Virtual machine\nvm-new-07,New node 07,Virtual machine\n',
    );
    const dry = await ok(svc, 'importCsv', { cis: servers, dryRun: true });
    expect(dry.counts).toMatchObject({ created: 2 });
    expect(dry.warnings.filter((w) => w.includes('the key of a CI'))).toEqual([
      "new-servers.csv: 1 CI this import would create is named with the key of a CI the CMDB has, of the same type (virtual_machine:vm-vault-01: the CMDB has vm-vault-01, Vault node 01, a virtual_machine): the file's column Hostname likely holds the CMDB's keys, and each such row would make a second CI of the same thing. Map id (the key) to that column, and name to the column of names.",
    ]);
    // Keyed by that column, the row updates the CI the CMDB has.
    const keyed = await ok(svc, 'importCsv', { cis: servers, mapping: { cis: { id: 'Hostname', name: 'Server Name' } }, dryRun: true });
    expect(keyed.counts).toMatchObject({ created: 1, unchanged: 1 });
    expect(keyed.warnings.filter((w) => w.includes('the key of a CI'))).toEqual([]);
  });
});
