/**
 * The `cmdb` command as a user runs it (`node bin/cmdb.js`, after the build):
 * import, search, show and export in plain and --json output, exit codes,
 * one-line reasons on stderr, and failed imports that leave the CMDB as it was.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cmdb, csvDataRows, DEMO_CIS, DEMO_RELS, dumpFile, ensureCliBuilt, tempDir } from './helpers.js';

const CI_ROWS = csvDataRows(DEMO_CIS);
const REL_ROWS = csvDataRows(DEMO_RELS);

/** stderr is exactly one line, starting "cmdb: ". */
function expectOneLineReason(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cmdb: \S/);
  return lines[0]!;
}

/**
 * The reason for a rejected import: the last stderr line, "cmdb: ...". (The
 * importer lists each bad row on the lines before it.)
 */
function rejectionReason(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines.length).toBeGreaterThan(0);
  const last = lines[lines.length - 1]!;
  expect(last).toMatch(/^cmdb: \S/);
  return last;
}

// One demo CMDB, imported by the CLI, shared by the read-only tests.
let demoDir: string;
let demoDb: string;
let importOut: { code: number | null; stdout: string; stderr: string };
beforeAll(() => {
  ensureCliBuilt();
  demoDir = mkdtempSync(join(tmpdir(), 'cmdb-cli-'));
  demoDb = join(demoDir, 'demo.db');
  importOut = cmdb(['import', '--db', demoDb, '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']);
  return () => rmSync(demoDir, { recursive: true, force: true });
});

describe('cmdb import', () => {
  it('imports the demo: exit 0, a summary on stdout, nothing on stderr', () => {
    expect(importOut.stderr).toBe('');
    expect(importOut.code).toBe(0);
    expect(importOut.stdout).toContain(`${CI_ROWS} created`);
    expect(importOut.stdout).toContain(`relationships ${REL_ROWS} created`);
    expect(existsSync(demoDb)).toBe(true);
  });

  it('prints the import result as JSON with --json', () => {
    const db = join(tempDir(), 'j.db');
    const r = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { counts: Record<string, number>; errors: unknown[]; importId: number };
    expect(result.counts).toMatchObject({ created: CI_ROWS, relationshipsCreated: REL_ROWS, rejected: 0 });
    expect(result.errors).toEqual([]);
    expect(result.importId).toBe(1);
  });

  it('refuses a missing CSV file in one line, exit 1, creating no CMDB file', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const r = cmdb(['import', '--db', db, '--cis', join(dir, 'nope.csv')]);
    expect(r.code).toBe(1);
    expect(expectOneLineReason(r.stderr)).toContain('nope.csv');
    expect(r.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses an import without files (usage error, exit 2)', () => {
    const r = cmdb(['import', '--db', join(tempDir(), 'x.db')]);
    expect(r.code).toBe(2);
    expectOneLineReason(r.stderr);
  });

  it('refuses --mapping with --profile (usage error, exit 2): each gives the whole mapping, and one would be dropped', () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const mapping = join(dir, 'm.json');
    writeFileSync(mapping, '{"cis": {"name": "name"}}\n');
    const r = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--profile', 'snow', '--mapping', mapping]);
    expect(r.code).toBe(2);
    expect(expectOneLineReason(r.stderr)).toBe(
      `cmdb: --mapping ${mapping} and --profile snow each give the whole mapping: give one of them. To keep the file's mapping as that profile, save it (cmdb profiles save --db ${db} snow ${mapping}), then import with --profile snow.`,
    );
    expect(existsSync(db)).toBe(false);
  });

  it('--empty-cells keep leaves a stored value an empty cell would clear (clear, the default, clears it); --save-profile keeps it', () => {
    const dir = tempDir();
    const db = join(dir, 'e.db');
    writeFileSync(join(dir, 'c.csv'), 'id,name,type,owner,rack\napp,App,application,team-a,R1\n');
    writeFileSync(join(dir, 'partial.csv'), 'id,name,type,owner,rack\napp,App,application,,\n');
    writeFileSync(join(dir, 'm.json'), '{"cis": {"name": "name"}}\n');
    const ci = () =>
      (JSON.parse(cmdb(['show', '--db', db, 'app', '--json']).stdout) as { ci: { owner: string | null; attributes: unknown } }).ci;
    const partial = ['import', '--db', db, '--cis', join(dir, 'partial.csv'), '--source', 'c.csv', '--progress', 'none'];
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'c.csv')]).code).toBe(0);
    const kept = cmdb([...partial, '--empty-cells', 'keep', '--mapping', join(dir, 'm.json'), '--save-profile', 'partial']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain('1 unchanged');
    expect(ci()).toMatchObject({ owner: 'team-a', attributes: { rack: 'R1' } });
    const profiles = JSON.parse(cmdb(['profiles', '--db', db, '--json']).stdout) as { items: Array<{ mapping: unknown }> };
    expect(profiles.items[0]!.mapping).toEqual({ cis: { name: 'name' }, emptyCells: 'keep' });
    expect(cmdb([...partial, '--empty-cells', 'clear']).code).toBe(0);
    expect(ci()).toMatchObject({ owner: null, attributes: {} });
    expect(cmdb(['import', '--help']).stdout).toMatch(/--empty-cells <how>\s+what an empty cell does/);
  });

  it('refuses an --empty-cells other than clear or keep (usage error, exit 2), creating no CMDB file', () => {
    const db = join(tempDir(), 'x.db');
    const r = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--empty-cells', 'skip']);
    expect(r.code).toBe(2);
    expect(expectOneLineReason(r.stderr)).toBe(
      'cmdb: unknown --empty-cells "skip": use clear (an empty cell clears the stored field or attribute) or keep (an empty cell leaves it).',
    );
    expect(existsSync(db)).toBe(false);
  });

  describe('a failed import leaves an existing CMDB exactly as it was', () => {
    const cases: Array<{ what: string; file: 'cis' | 'relationships'; content: string; where: RegExp }> = [
      {
        what: 'malformed quoting',
        file: 'cis',
        content: 'id,name,type\nnew-1,New 1,application\nnew-2,"New 2,application\n',
        where: /bad\.csv line 3/,
      },
      {
        what: 'an unknown relationship endpoint',
        file: 'relationships',
        content: 'source,target,type\nbs-checkout,app-checkout-api,depends_on\nbs-checkout,ghost-ci,depends_on\n',
        where: /bad\.csv line 3, column target.*ghost-ci/,
      },
      { what: 'a missing required column', file: 'cis', content: 'id,name\nx,X\n', where: /bad\.csv line 1.*\btype\b/ },
      {
        what: 'a ragged row',
        file: 'cis',
        content: 'id,name,type\nnew-1,New 1,application,extra\n',
        where: /bad\.csv line 2/,
      },
    ];
    for (const c of cases) {
      it(`${c.what}: exit 1, the reason names file and line, plain and --json`, () => {
        const dir = tempDir();
        const db = join(dir, 'copy.db');
        copyFileSync(demoDb, db);
        const before = dumpFile(db);
        const csv = join(dir, 'bad.csv');
        writeFileSync(csv, c.content);
        const plain = cmdb(['import', '--db', db, `--${c.file}`, csv, '--progress', 'none']);
        expect(plain.code).toBe(1);
        expect(plain.stdout).toBe('');
        expect(rejectionReason(plain.stderr)).toMatch(c.where);
        expect(dumpFile(db)).toBe(before);
        const json = cmdb(['import', '--db', db, `--${c.file}`, csv, '--json']);
        expect(json.code).toBe(1);
        expect(expectOneLineReason(json.stderr)).toMatch(c.where);
        if (json.stdout !== '') {
          const body = JSON.parse(json.stdout) as { ok: boolean; error: { code: string } };
          expect(body).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(IMPORT_REJECTED|CSV_ERROR)$/) } });
        }
        expect(dumpFile(db)).toBe(before);
      });
    }
  });
});

describe('cmdb search', () => {
  it('lists matches as a table, the business service first', () => {
    const r = cmdb(['search', '--db', demoDb, 'checkout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+NAME\s+TYPE\s+STATUS\s+ENV\s+OWNER\s+CRITICALITY$/);
    expect(lines[1]).toMatch(/^bs-checkout\s+Checkout\s+business_service\s+operational\s+production\s+team-checkout\s+critical$/);
    expect(r.stdout).toContain('app-checkout-api ');
    expect(lines[lines.length - 1]).toMatch(/^\d+ of \d+ shown\.$/);
  });

  it('says "10,000+" when more CIs match than it counts', () => {
    const dir = tempDir();
    const rows = Array.from({ length: 10_050 }, (_, i) => `host-${i},fra2 host ${i},server`);
    writeFileSync(join(dir, 'many.csv'), `id,name,type\n${rows.join('\n')}\n`);
    const db = join(dir, 'many.db');
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'many.csv'), '--progress', 'none']).code).toBe(0);
    const r = cmdb(['search', '--db', db, 'fra2', '--limit', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('2 of 10,000+ shown.');
    const exact = cmdb(['search', '--db', db, 'host-1005', '--limit', '2']);
    expect(exact.stdout.trimEnd().split('\n').pop()).toBe('1 of 1 shown.');
  });

  it('filters on a value holding a comma ("Müller, Jürgen"): written as is, or with \\, for that value only', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'own.csv'),
      'name,type,owner,environment\nh1,server,"Müller, Jürgen","Prod, EU"\nh2,server,Bob,Test\nh3,server,Jürgen,Test\n',
    );
    const db = join(dir, 'own.db');
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'own.csv'), '--progress', 'none']).code).toBe(0);
    const keys = (...args: string[]) =>
      (JSON.parse(cmdb(['search', '--db', db, '--json', ...args]).stdout) as { items: Array<{ name: string }> }).items
        .map((c) => c.name)
        .sort();
    // Both readings: the one owner, or the two.
    expect(keys('--owner', 'Müller, Jürgen')).toEqual(['h1', 'h3']);
    expect(keys('--owner', 'Müller\\, Jürgen')).toEqual(['h1']);
    expect(keys('--owner', 'Bob,Müller\\, Jürgen')).toEqual(['h1', 'h2']);
    expect(keys('--environment', 'Prod, EU')).toEqual(['h1']);
    expect(keys('--owner', 'Bob,Jürgen')).toEqual(['h2', 'h3']);
  });

  it('refuses a type the registry does not have, and says when --offset is past the matches', () => {
    const typo = cmdb(['search', '--db', demoDb, '--type', 'Database,bogus']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^cmdb: Unknown CI types "Database", "bogus"\. Known CI types: application, .*database.*\.\n$/);
    const past = cmdb(['search', '--db', demoDb, 'checkout', '--offset', '100']);
    expect(past.code).toBe(0);
    expect(past.stdout).toMatch(/^None shown: \d+ match, and --offset 100 is past them\.\n$/);
    expect(cmdb(['search', '--db', demoDb, 'no-such-word-anywhere']).stdout).toMatch(
      /^No CIs match\.\nEach word you give must start a word of a CI/,
    );
  });

  it('returns items and total with --json, honouring filters, limit and offset', () => {
    const r = cmdb(['search', '--db', demoDb, '--type', 'database', '--environment', 'production', '--limit', '5', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { items: Array<{ key: string; type: string; environment: string }>; total: number };
    expect(body.items).toHaveLength(5);
    expect(body.total).toBeGreaterThan(5);
    expect(body.items.every((c) => c.type === 'database' && c.environment === 'production')).toBe(true);
    const next = JSON.parse(
      cmdb(['search', '--db', demoDb, '--type', 'database', '--environment', 'production', '--limit', '5', '--offset', '5', '--json'])
        .stdout,
    ) as { items: Array<{ key: string }> };
    expect(next.items.map((c) => c.key)).not.toContain(body.items[0]!.key);
  });

  it('says so when nothing matches (exit 0), and takes hostile input literally', () => {
    const r = cmdb(['search', '--db', demoDb, 'zzzznotthere']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^No CIs match\.\n.*"rich" does not find srv-zurich-01\. Give the start of a word\.$/);
    const hostile = cmdb(['search', '--db', demoDb, '"checkout', 'OR', 'NEAR(', '--json']);
    expect(hostile.code).toBe(0);
    expect(JSON.parse(hostile.stdout)).toMatchObject({ total: expect.any(Number) });
  });

  it('refuses a CMDB file that does not exist, in one line, without creating it', () => {
    const db = join(tempDir(), 'missing.db');
    const r = cmdb(['search', '--db', db, 'x']);
    expect(r.code).toBe(1);
    expect(expectOneLineReason(r.stderr)).toContain('missing.db');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a file that is not a CMDB, in one line, leaving it untouched', () => {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'just some notes\n');
    const r = cmdb(['search', '--db', path, 'x']);
    expect(r.code).toBe(1);
    expect(expectOneLineReason(r.stderr)).toMatch(/not a CMDB/);
    expect(readFileSync(path, 'utf8')).toBe('just some notes\n');
  });
});

describe('cmdb show', () => {
  it('shows a CI, its fields and attributes, and its relationships both ways', () => {
    const r = cmdb(['show', '--db', demoDb, 'db-orders-primary']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('Orders DB (primary)  (db-orders-primary)');
    expect(r.stdout).toMatch(/^\s+type\s+database$/m);
    expect(r.stdout).toMatch(/^\s+criticality\s+critical$/m);
    expect(r.stdout).toMatch(/^\s+vendor\s+PostgreSQL$/m);
    expect(r.stdout).toMatch(/Depends on \/ points to \(1\):\n\s+runs_on\s+Orders DB host 01 \(vm-db-orders-01\) \[virtual_machine\]/);
    expect(r.stdout).toMatch(/Pointed to by \(\d+\):/);
    expect(r.stdout).toMatch(/^\s+depends_on\s+Order Service \(app-order-service\) \[application\]$/m);
    const lb = cmdb(['show', '--db', demoDb, 'bs-checkout']);
    expect(lb.stdout).toMatch(/\(lb-edge-prod-01\) .*group edge-load-balancers \(min_up 1\)/);
    // A min_up left empty is not shown as 1 (the group's largest given one applies).
    const dir = join(demoDir, 'blank-min-up');
    mkdirSync(dir, { recursive: true });
    const db = join(dir, 'g.db');
    writeFileSync(join(dir, 'c.csv'), 'id,name,type\napp,App,application\ns1,S1,server\ns2,S2,server\n');
    writeFileSync(join(dir, 'r.csv'), 'source,target,type,redundancy_group,min_up\napp,s1,runs_on,pool,\napp,s2,runs_on,pool,2\n');
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'c.csv'), '--relationships', join(dir, 'r.csv')]).code).toBe(0);
    const shown = cmdb(['show', '--db', db, 'app']).stdout;
    expect(shown).toMatch(/\(s1\) \[server\]\s+group pool$/m);
    expect(shown).toMatch(/\(s2\) \[server\]\s+group pool \(min_up 2\)$/m);
  });

  it("with --history, the CI's history too, newest first, an update field by field", () => {
    const dir = join(demoDir, 'history');
    mkdirSync(dir, { recursive: true });
    const db = join(dir, 'h.db');
    writeFileSync(join(dir, 'c.csv'), 'id,name,type,owner\napp,App,application,team-a\n');
    writeFileSync(join(dir, 'd.csv'), 'id,name,type,owner\napp,App,application,team-b\n');
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'c.csv')]).code).toBe(0);
    expect(cmdb(['import', '--db', db, '--cis', join(dir, 'd.csv'), '--source', 'c.csv']).code).toBe(0);
    expect(cmdb(['show', '--db', db, 'app']).stdout).not.toContain('History');
    const r = cmdb(['show', '--db', db, 'app', '--history']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.slice(r.stdout.indexOf('History')).trimEnd().split('\n');
    expect(lines[0]).toBe('History (2, newest first):');
    expect(lines[1]).toMatch(/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}update {2}owner: team-a -> team-b {2}\(import 2\)$/);
    expect(lines[2]).toMatch(/ {2}create {2}.* {2}\(import 1\)$/);
    const one = cmdb(['show', '--db', db, 'app', '--history', '1']).stdout;
    expect(one).toContain('showing 1 of 2 (--history N shows up to 1000)');
    // The import log names the source each import wrote under: d.csv's import under c.csv's (what a sync retires by).
    const log = cmdb(['imports', '--db', db]);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toMatch(/^ID\s+STARTED\s+MODE\s+FILES\s+SOURCE\s/);
    expect(log.stdout).toMatch(/^2\s.*\supsert\s+d\.csv\s+c\.csv\s/m);
    expect(log.stdout).toMatch(/^1\s.*\supsert\s+c\.csv\s+c\.csv\s/m);
  });

  it('returns the CI, outgoing, incoming and history with --json', () => {
    const r = cmdb(['show', '--db', demoDb, 'mq-kafka-prod', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as {
      ci: { key: string; type: string };
      incoming: Array<{ type: string; other: { key: string }; minUp: number | null }>;
      outgoing: unknown[];
      history: Array<{ action: string }>;
    };
    expect(d.ci).toMatchObject({ key: 'mq-kafka-prod', type: 'message_queue' });
    const brokers = d.incoming.filter((x) => x.type === 'member_of' && x.other.key.startsWith('mq-kafka-prod-broker-'));
    expect(brokers).toHaveLength(3);
    expect(brokers.every((x) => x.minUp === 2)).toBe(true);
    expect(d.history.some((h) => h.action === 'create')).toBe(true);
  });

  it('says where a side stops short of its total (--limit), with the totals in --json', () => {
    const r = cmdb(['show', '--db', demoDb, 'mq-kafka-prod', '--limit', '2']);
    expect(r.code).toBe(0);
    const total = Number(/Pointed to by \((\d+)\):/.exec(r.stdout)![1]);
    expect(total).toBeGreaterThan(2);
    expect(r.stdout).toContain(`showing 2 of ${total} (--limit N`);
    const j = JSON.parse(cmdb(['show', '--db', demoDb, 'mq-kafka-prod', '--limit', '2', '--json']).stdout) as {
      incoming: unknown[];
      incomingTotal: number;
    };
    expect([j.incoming.length, j.incomingTotal]).toEqual([2, total]);
    expect(cmdb(['show', '--db', demoDb, 'mq-kafka-prod']).stdout).not.toContain('showing');
  });

  it('refuses an unknown key in one line, exit 1, nothing on stdout', () => {
    const r = cmdb(['show', '--db', demoDb, 'no-such-ci']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(expectOneLineReason(r.stderr)).toContain('"no-such-ci"');
    const j = cmdb(['show', '--db', demoDb, 'no-such-ci', '--json']);
    expect(j.code).toBe(1);
    expectOneLineReason(j.stderr);
  });
});

describe('cmdb export', () => {
  it('writes both CSV files, which import into a new CMDB and export again identically', () => {
    const dir = tempDir();
    const cis = join(dir, 'out-cis.csv');
    const rels = join(dir, 'out-rels.csv');
    const r = cmdb(['export', '--db', demoDb, '--cis', cis, '--relationships', rels]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      `Wrote ${CI_ROWS.toLocaleString('en-US')} CIs to ${cis} and ${REL_ROWS.toLocaleString('en-US')} relationships to ${rels}.`,
    );
    const copy = join(dir, 'copy.db');
    expect(cmdb(['import', '--db', copy, '--cis', cis, '--relationships', rels, '--progress', 'none']).code).toBe(0);
    const cis2 = join(dir, 'again-cis.csv');
    const rels2 = join(dir, 'again-rels.csv');
    const again = cmdb(['export', '--db', copy, '--cis', cis2, '--relationships', rels2, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ cis: { file: cis2, rows: CI_ROWS }, relationships: { file: rels2, rows: REL_ROWS } });
    expect(readFileSync(cis2, 'utf8')).toBe(readFileSync(cis, 'utf8'));
    expect(readFileSync(rels2, 'utf8')).toBe(readFileSync(rels, 'utf8'));
  });

  it('requires --out or --cis (usage error, exit non-zero, one line)', () => {
    const r = cmdb(['export', '--db', demoDb]);
    expect(r.code).not.toBe(0);
    expect([r.code, r.stderr.trim()]).toEqual([
      2,
      'cmdb: say where to write: --out DIR (cis.csv and relationships.csv in it), or --cis FILE (add --help for usage)',
    ]);
  });

  it('--out DIR writes cis.csv and relationships.csv into it, as generate does (found by a tester: --out named only --cis)', () => {
    const dir = join(tempDir(), 'exp');
    const r = cmdb(['export', '--db', demoDb, '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      `Wrote ${CI_ROWS.toLocaleString('en-US')} CIs to ${join(dir, 'cis.csv')} and ${REL_ROWS.toLocaleString('en-US')} relationships to ${join(dir, 'relationships.csv')}.`,
    );
    expect(readdirSync(dir).sort()).toEqual(['cis.csv', 'relationships.csv']);
    // A file's name is refused (it would become a folder), and a CMDB that is not there leaves no folder behind (found by a reviewer).
    const named = cmdb(['export', '--db', demoDb, '--out', join(dir, 'report.csv')]);
    expect([named.code, named.stderr]).toEqual([2, expect.stringContaining('--out names a folder for cis.csv and relationships.csv')]);
    const none = join(tempDir(), 'none');
    expect(cmdb(['export', '--db', join(tempDir(), 'nosuch.db'), '--out', none]).code).not.toBe(0);
    expect(existsSync(none)).toBe(false);
  });
});

describe('help', () => {
  it('prints help for the program and each foundation command, exit 0', () => {
    const top = cmdb(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['import', 'search', 'show', 'export']) {
      expect(top.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
      const h = cmdb([c, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('--db <file>');
      expect(h.stdout).toContain('--json');
    }
  });

  it('prints the version from package.json with --version and -V, exit 0', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = cmdb([flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });
});

describe('a rejected import into a CMDB that does not exist yet', () => {
  beforeAll(() => ensureCliBuilt(), 120_000);

  it('leaves no file behind, and a later good import creates it', () => {
    const dir = tempDir();
    const db = join(dir, 'new.db');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,name,type\na,A,server\nb,,server\n');
    const r = cmdb(['import', '--db', db, '--cis', bad]);
    expect(r.code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['bad.csv']);
    // Nor the folders it made for it.
    expect(cmdb(['import', '--db', join(dir, 'x', 'y', 'new.db'), '--cis', bad]).code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['bad.csv']);
    const good = cmdb(['import', '--db', db, '--cis', bad, '--skip-bad-rows']);
    expect(good.code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });
});
