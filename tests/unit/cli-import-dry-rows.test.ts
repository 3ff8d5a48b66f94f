/**
 * `cmdb import --dry-run` lists the rows a re-import would create or update (the first --rows N of them), each
 * update field by field, not its first rows of any kind, which on a re-import are unchanged; --all-rows lists
 * rows of every kind. --json says which rows `rows` holds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../shared/domain.js';
import { cmdb, ensureCliBuilt, tempDir } from './helpers.js';

/** An inventory of 30 servers, owned by team-a, with `owner` of some keys changed and `extra` CIs added at the end. */
function inventory(changedOwners: Record<string, string> = {}, extra: string[] = []): string {
  const keys = Array.from({ length: 30 }, (_, i) => `srv-${String(i + 1).padStart(2, '0')}`);
  const rows = keys.map((k) => `${k},Server ${k},server,${changedOwners[k] ?? 'team-a'},Rack 1`);
  return `id,name,type,owner,Location\n${[...rows, ...extra.map((k) => `${k},New ${k},server,team-a,Rack 2`)].join('\n')}\n`;
}

describe('cmdb import --dry-run on a re-import', () => {
  let dir: string;
  let db: string;
  let csv: string;
  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir();
    db = join(dir, 'cmdb.db');
    csv = join(dir, 'servers.csv');
    writeFileSync(csv, inventory());
    const first = cmdb(['import', '--db', db, '--cis', csv, '--progress', 'none']);
    expect(first.code, first.stderr).toBe(0);
    // This week: srv-25 changed hands and srv-31 is new; the first 24 rows are as before.
    writeFileSync(csv, inventory({ 'srv-25': 'team-b' }, ['srv-31']));
  }, 120_000);

  it('lists the rows that would change, each update field by field, and not the unchanged ones', () => {
    const dry = cmdb(['import', '--db', db, '--cis', csv, '--dry-run', '--progress', 'none']);
    expect(dry.code, dry.stderr).toBe(0);
    const lines = dry.stdout.split('\n');
    expect(lines).toContain('Rows that would change:');
    expect(lines).toContain('  servers.csv:26  update    srv-25  owner: team-a -> team-b');
    expect(lines).toContain('  servers.csv:32  create    srv-31  type=server, name=New srv-31, owner=team-a, Location=Rack 2');
    expect(dry.stdout).not.toMatch(/unchanged +srv-/);
  });

  it('--rows N cuts the list and says how many would change', () => {
    const dry = cmdb(['import', '--db', db, '--cis', csv, '--dry-run', '--rows', '1', '--progress', 'none']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Rows that would change (the first 1 of 2; --rows N for more):\n  servers.csv:26  update    srv-25');
    expect(dry.stdout).not.toContain('srv-31');
  });

  it('--all-rows lists the first rows of every kind, unchanged ones too', () => {
    const dry = cmdb(['import', '--db', db, '--cis', csv, '--dry-run', '--all-rows', '--progress', 'none']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('First rows:\n  servers.csv:2  unchanged srv-01');
    // The first 20 rows are all unchanged: the change at line 26 is past them.
    expect(dry.stdout).not.toContain('srv-25');
  });

  it('says so when no row would change', () => {
    const same = join(dir, 'same.csv');
    writeFileSync(same, inventory());
    const dry = cmdb(['import', '--db', db, '--cis', same, '--source', 'servers.csv', '--dry-run', '--progress', 'none']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('No row would be created or updated.');
    expect(dry.stdout).not.toContain('First rows:');
  });

  it('--json: rows holds the rows that would change, and rowsKept says so; --all-rows keeps every kind', () => {
    const json = cmdb(['import', '--db', db, '--cis', csv, '--dry-run', '--json', '--progress', 'none']);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as ImportResult;
    expect(r.rowsKept).toBe('changes');
    expect(r.rows.map((row) => [row.action, row.key])).toEqual([
      ['update', 'srv-25'],
      ['create', 'srv-31'],
    ]);
    expect(r.rows[0]!.changes).toEqual({ owner: { from: 'team-a', to: 'team-b' } });
    const all = JSON.parse(cmdb(['import', '--db', db, '--cis', csv, '--dry-run', '--json', '--all-rows']).stdout) as ImportResult;
    expect(all.rowsKept).toBe('all');
    expect(all.rows).toHaveLength(20);
    expect(new Set(all.rows.map((row) => row.action))).toEqual(new Set(['unchanged']));
  });
});
