/**
 * The commands the CLI's output suggests running next ("Undo it with: ...")
 * act on the CMDB the command was given: typed as printed, in a shell, they
 * must not reach the default CMDB instead (an undo-import there undoes
 * another CMDB's import).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
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
