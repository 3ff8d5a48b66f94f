/**
 * The commands the CLI's output suggests running next ("Undo it with: ...")
 * act on the CMDB the command was given: typed as printed, in a shell, they
 * must not reach the default CMDB instead (an undo-import there undoes
 * another CMDB's import).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt, ROOT, tempDir } from './helpers.js';

/** Runs a printed `cmdb ...` line through the shell, as a person pasting it would, with `cmdb` the built CLI. */
function runPrinted(line: string, env: Record<string, string> = {}) {
  const r = spawnSync('sh', ['-c', line.replace(/^cmdb /, `"${process.execPath}" "${join(ROOT, 'bin', 'cmdb.js')}" `)], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const suggested = (stdout: string, lead: string) =>
  stdout
    .split('\n')
    .find((l) => l.startsWith(lead))
    ?.slice(lead.length) ?? '';

beforeAll(() => ensureCliBuilt());

describe('the next commands the CLI prints', () => {
  it('undo-import names the same --db (quoted for the shell) and, pasted, undoes that import and nothing else', () => {
    const dir = tempDir('cmdb-next it’s-');
    const db = join(dir, "my shop's cmdb.db");
    const other = join(dir, 'default.db');
    // The default CMDB ($CMDB_DB) has an import 1 too: the printed command must not undo it.
    expect(cmdb(['import', '--db', other, '--cis', DEMO_CIS]).code).toBe(0);
    const r = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS], { env: { CMDB_DB: other } });
    expect(r.code).toBe(0);
    const undo = suggested(r.stdout, 'Undo it with: ');
    expect(undo).toBe(`cmdb undo-import --db '${db.replace(/'/g, `'\\''`)}' 1`);
    const undone = runPrinted(undo, { CMDB_DB: other });
    expect(undone.stderr).toBe('');
    expect(undone.code).toBe(0);
    expect(JSON.parse(cmdb(['search', '--db', db, '--json']).stdout).total).toBe(0);
    expect(JSON.parse(cmdb(['search', '--db', other, '--json']).stdout).total).toBe(533);
  });

  it('without --db the suggestion has none either (the same default applies to it)', () => {
    const db = join(tempDir(), 'env.db');
    const r = cmdb(['import', '--cis', DEMO_CIS], { env: { CMDB_DB: db } });
    expect(suggested(r.stdout, 'Undo it with: ')).toBe('cmdb undo-import 1');
  });

  it('undo-merge and the search for a name typed in part name the same --db', () => {
    const db = join(tempDir(), 'shop.db');
    expect(cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS]).code).toBe(0);
    const copy = join(tempDir(), 'copy.db');
    copyFileSync(db, copy);
    const merged = cmdb(['merge', '--db', copy, 'lb-edge-prod-01', 'lb-edge-prod-02']);
    expect(merged.code).toBe(0);
    const undo = suggested(merged.stdout, 'Merge #1; undo it with: ');
    expect(undo).toBe(`cmdb undo-merge --db ${copy} 1`);
    expect(runPrinted(undo).code).toBe(0);

    const part = cmdb(['show', '--db', db, 'Orders DB']);
    const search = /Every match of "Orders DB": (cmdb search .*'Orders DB')/.exec(part.stderr)?.[1] ?? '';
    expect(search).toBe(`cmdb search --db ${db} 'Orders DB'`);
    const found = runPrinted(`${search} --json`);
    expect(JSON.parse(found.stdout).total).toBe(10);
  });
});

describe("the commands the engine's messages suggest", () => {
  /** The command a one-line error suggests after `lead`, up to `end` (or the line's end). */
  const inError = (stderr: string, lead: string, end = '\n') => {
    const from = stderr.indexOf(lead);
    return from < 0 ? '' : stderr.slice(from + lead.length, stderr.indexOf(end, from + lead.length));
  };
  /** Overwrites the first page of table `cis` in a baseline file, as a damaged disk would. */
  function damage(file: string): void {
    const raw = new Database(file, { readonly: true });
    const root = raw.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'cis'").pluck().get() as number;
    const size = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    chmodSync(file, 0o644);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, (root - 1) * size);
    closeSync(fd);
  }

  it('name the same --db (quoted for the shell): a baseline name in use, a damaged baseline, none saved, no such merge or import', () => {
    const dir = tempDir('cmdb-next-engine-');
    const db = join(dir, "the shop's cmdb.db");
    const quoted = `'${db.replace(/'/g, `'\\''`)}'`;
    // The default CMDB ($CMDB_DB) has a baseline b1 too: the printed commands must not touch it.
    const other = join(dir, 'default.db');
    const env = { CMDB_DB: other };
    for (const d of [db, other]) {
      expect(cmdb(['import', '--db', d, '--cis', DEMO_CIS, '--relationships', DEMO_RELS]).code).toBe(0);
      expect(cmdb(['baseline', 'save', '--db', d, 'b1']).code).toBe(0);
    }

    const none = cmdb(['diff', '--db', join(dir, 'copy.db'), 'b1'], { env });
    expect(none.stderr).toContain('no such CMDB file');
    copyFileSync(db, join(dir, 'copy.db'));
    const noBaselines = cmdb(['diff', '--db', join(dir, 'copy.db'), 'b1'], { env });
    // The copy sits beside the baselines folders of the two others: named, before the command.
    expect(noBaselines.stderr).toContain('Beside it, default.db.baselines holds the baselines of default.db; ');
    expect(inError(noBaselines.stderr, 'Or save one with: ')).toBe(`cmdb baseline save --db ${join(dir, 'copy.db')} NAME`);

    const noMerge = cmdb(['undo-merge', '--db', db, '99'], { env });
    const merges = inError(noMerge.stderr, 'list them with: ');
    expect(merges).toBe(`cmdb merges --db ${quoted}`);
    expect(runPrinted(merges, env).stdout).toBe('No merges yet. Merge a duplicate with: cmdb merge --db ' + quoted + ' KEEP DUPLICATE\n');
    const noImport = cmdb(['undo-import', '--db', db, '99'], { env });
    expect(inError(noImport.stderr, 'the list of imports: ')).toBe(`cmdb imports --db ${quoted}`);

    const clash = cmdb(['baseline', 'save', '--db', db, 'B1'], { env });
    expect(clash.code).toBe(1);
    const remove = inError(clash.stderr, 'delete it first (', ').');
    expect(remove).toBe(`cmdb baseline delete --db ${quoted} b1`);
    expect(runPrinted(remove, env).code).toBe(0);
    expect(JSON.parse(cmdb(['baseline', 'list', '--db', db, '--json']).stdout).baselines).toEqual([]);
    expect(JSON.parse(cmdb(['baseline', 'list', '--db', other, '--json']).stdout).baselines).toHaveLength(1);

    expect(cmdb(['baseline', 'save', '--db', db, 'broken']).code).toBe(0);
    damage(join(`${db}.baselines`, 'broken.sqlite'));
    const damaged = cmdb(['diff', '--db', db, 'broken'], { env });
    expect(damaged.stderr).toContain('is damaged or not a baseline');
    const deleteIt = inError(damaged.stderr, 'Delete the baseline (', ') and save a new one.');
    expect(deleteIt).toBe(`cmdb baseline delete --db ${quoted} broken`);
    expect(runPrinted(deleteIt, env).code).toBe(0);
  });

  it('an undo-import refused for later merges names each undo-merge with the same --db, and pasted they clear the way', () => {
    const db = join(tempDir(), 'merges.db');
    const env = { CMDB_DB: join(tempDir(), 'default.db') };
    const csv = join(tempDir(), 'owners.csv');
    expect(cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS]).code).toBe(0);
    writeFileSync(csv, 'id,name,type,owner\nlb-edge-prod-02,Edge load balancer 02,load_balancer,team-x\n');
    expect(cmdb(['import', '--db', db, '--cis', csv]).code).toBe(0);
    expect(cmdb(['merge', '--db', db, 'lb-edge-prod-01', 'lb-edge-prod-02']).code).toBe(0);
    const refused = cmdb(['undo-import', '--db', db, '2'], { env });
    expect(refused.code).toBe(1);
    const undo = inError(refused.stderr, 'First undo merge #1 (', '); then import 2 can be undone.');
    expect(undo).toBe(`cmdb undo-merge --db ${db} 1`);
    expect(runPrinted(undo, env).code).toBe(0);
    expect(cmdb(['undo-import', '--db', db, '2'], { env }).code).toBe(0);
  });

  it('without --db name none either (the same default applies to them)', () => {
    const db = join(tempDir(), 'env.db');
    expect(cmdb(['import', '--cis', DEMO_CIS], { env: { CMDB_DB: db } }).code).toBe(0);
    expect(cmdb(['undo-merge', '99'], { env: { CMDB_DB: db } }).stderr).toMatch(/list them with: cmdb merges\n$/);
    expect(cmdb(['diff', 'b1'], { env: { CMDB_DB: db } }).stderr).toMatch(/Save one with: cmdb baseline save NAME\n$/);
  });
});
