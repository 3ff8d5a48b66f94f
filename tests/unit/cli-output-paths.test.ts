/**
 * The files a command writes never destroy what it reads or the CMDB: an output naming the CMDB (or a link to
 * it), a baseline, an input or another output is refused (exit 2) before anything is opened or written.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt, tempDir } from './helpers.js';

describe('cmdb: output files that would destroy an input or the CMDB', () => {
  let dir: string;
  let db: string;
  let before: Buffer;
  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir();
    db = join(dir, 'shop.db');
    expect(cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS]).code).toBe(0);
    before = readFileSync(db);
  }, 120_000);

  const refused = (args: string[], says: string) => {
    const r = cmdb(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(says);
    expect(readFileSync(db).equals(before)).toBe(true);
  };

  it('export, diff, graph, impact --export and assess --out refuse the CMDB and its files', () => {
    refused(['export', '--db', db, '--cis', db], `--cis ${db} is the CMDB ${db} (or one of its own files): writing it would destroy it.`);
    refused(['export', '--db', db, '--cis', join(dir, 'c.csv'), '--relationships', `${db}-wal`], 'is the CMDB');
    refused(['diff', '--db', db, 'b1', '--format', 'csv', '--out', db], `--out ${db} is the CMDB`);
    // Named as the CMDB first, before its extension is judged as a format (found by the CI run).
    refused(['health', '--db', db, '--format', 'csv', '--out', db], `--out ${db} is the CMDB`);
    refused(['graph', '--db', db, 'db-orders-primary', '--format', 'json', '--out', db], 'is the CMDB');
    // Another name for the same file (a link, with the extension the report's format needs).
    const asCsv = join(dir, 'shop-link.csv');
    symlinkSync(db, asCsv);
    refused(['impact', '--db', db, 'db-orders-primary', '--export', asCsv], 'is the CMDB');
    refused(['assess', '--db', db, '--ref', 'C1', '--title', 't', 'db-orders-primary', '--format', 'csv', '--out', db], 'is the CMDB');
    // Another name for the same file.
    const link = join(dir, 'link.db');
    symlinkSync(db, link);
    refused(['export', '--db', db, '--cis', link], 'is the CMDB');
  });

  it('refuses a file in the baselines folder, an input, and two outputs to one file', () => {
    mkdirSync(`${db}.baselines`, { recursive: true });
    refused(
      ['graph', '--db', db, 'db-orders-primary', '--out', join(`${db}.baselines`, 'b1.sqlite'), '--format', 'json'],
      "in the CMDB's baselines folder",
    );
    const both = join(dir, 'both.csv');
    refused(['export', '--db', db, '--cis', both, '--relationships', both], `--relationships ${both} is the file --cis writes too`);
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'id,name,type\na,A,server\na,A again,server\n');
    refused(['import', '--db', db, '--cis', input, '--errors', input, '--skip-bad-rows'], `--errors ${input} is the file --cis reads`);
    expect(readFileSync(input, 'utf8')).toContain('A again');
    refused(['preview', '--db', db, input, '--write-mapping', input], `--write-mapping ${input} is the file preview reads`);
    // Files of their own are written as before.
    const ok = cmdb(['export', '--db', db, '--cis', join(dir, 'cis.csv'), '--relationships', join(dir, 'rels.csv')]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('an --errors report that cannot be written is said so, naming it, and the import writes nothing (no new CMDB either)', () => {
    const fresh = join(dir, 'new.db');
    const report = join(dir, 'no-such-folder', 'errors.csv');
    const r = cmdb(['import', '--db', fresh, '--cis', DEMO_CIS, '--errors', report]);
    // Refused before the import runs, naming the option and the folder.
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `--errors ${report}: the folder ${join(dir, 'no-such-folder')} does not exist. Create it, or name a file in a folder that does.`,
    );
    expect(r.stderr).not.toContain('unexpected');
    expect(existsSync(fresh)).toBe(false);
    const again = cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--errors', report]);
    expect(again.code).toBe(2);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('cmdb: --out - is standard output', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir();
    db = join(dir, 'shop.db');
    expect(cmdb(['import', '--db', db, '--cis', DEMO_CIS, '--relationships', DEMO_RELS]).code).toBe(0);
  }, 120_000);

  // Found by a change manager: `assess --out -` wrote a file named "-" in the folder it ran in.
  it('assess, health, diff and graph print what --out - names, and write no file "-"', () => {
    const run = (args: string[]) => {
      const r = cmdb(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(run(['assess', '--db', db, '--ref', 'C1', '--title', 't', 'db-orders-primary', '--out', '-'])).toContain('# ');
    expect(run(['assess', '--db', db, '--ref', 'C1', '--format', 'csv', '--out', '-']).split('\n')[0]).toContain('key');
    expect(run(['health', '--db', db, '--format', 'json', '--out', '-']).trimStart()).toMatch(/^[[{]/);
    expect(cmdb(['baseline', 'save', '--db', db, 'b1']).code).toBe(0);
    expect(run(['diff', '--db', db, 'b1', '--format', 'csv', '--out', '-'])).toContain(',');
    expect(run(['graph', '--db', db, 'db-orders-primary', '--format', 'dot', '--out', '-'])).toContain('digraph');
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('impact --export - is refused: the answer is on standard output already', () => {
    const r = cmdb(['impact', '--db', db, 'db-orders-primary', '--export', '-'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--export -: the answer is on standard output already');
    expect(existsSync(join(dir, '-'))).toBe(false);
  });
});
