/**
 * `cmdb merge`, `cmdb undo-merge` and `cmdb merges` as a user runs them (the
 * built CLI): a duplicate of a demo CI merged and undone, plain and --json
 * output, and one-line refusals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MergeRecord } from '../../shared/health.js';
import { cmdb, DEMO_CIS, DEMO_RELS, ensureCliBuilt } from './helpers.js';

let dir: string;
let db: string;
const run = (args: string[]) => cmdb([...args, '--db', db]);

beforeAll(() => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'cmdb-cli-merge-'));
  db = join(dir, 'demo.db');
  expect(run(['import', '--cis', DEMO_CIS, '--relationships', DEMO_RELS, '--progress', 'none']).code).toBe(0);
  // GitLab 01 recorded a second time, with a build bot on it and the same host.
  writeFileSync(
    join(dir, 'dup-cis.csv'),
    'id,name,type,owner,backup_policy\nvm-gitlab-01b,GITLAB-01,virtual_machine,team-platform,daily\napp-build-bot,Build Bot,application,team-platform,\n',
  );
  writeFileSync(join(dir, 'dup-rels.csv'), 'source,target,type\nvm-gitlab-01b,hv-ldn-14,hosted_on\napp-build-bot,vm-gitlab-01b,runs_on\n');
  const add = run(['import', '--cis', join(dir, 'dup-cis.csv'), '--relationships', join(dir, 'dup-rels.csv'), '--progress', 'none']);
  expect(add.code, add.stderr).toBe(0);
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('cmdb merge', () => {
  it('merges a duplicate, lists it, and undoes it', () => {
    const merged = run(['merge', 'vm-gitlab-01', 'vm-gitlab-01b']);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(
      'Merged GITLAB-01 (vm-gitlab-01b) into GitLab 01 (vm-gitlab-01): 1 relationship moved, 1 dropped; filled backup_policy.\n' +
        `Merge #1; undo it with: cmdb undo-merge --db ${db} 1\n`,
    );
    const show = JSON.parse(run(['show', 'app-build-bot', '--json']).stdout) as { outgoing: Array<{ other: { key: string } }> };
    expect(show.outgoing.map((r) => r.other.key)).toEqual(['vm-gitlab-01']);
    expect(run(['merges']).stdout).toMatch(
      /^ID\s+AT\s+MERGED\s+INTO\s+OUTCOME\s+UNDONE\n1\s+\S+\s+GITLAB-01 \(vm-gitlab-01b\)\s+GitLab 01 \(vm-gitlab-01\)\s+1 relationship moved/,
    );

    const undone = run(['undo-merge', '1']);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toBe(
      'Undid merge #1: GITLAB-01 (vm-gitlab-01b) is back with its relationships; GitLab 01 (vm-gitlab-01) is as it was.\n',
    );
    const list = JSON.parse(run(['merges', '--json']).stdout) as { items: MergeRecord[] };
    expect(list.items).toEqual([
      expect.objectContaining({ id: 1, keptKey: 'vm-gitlab-01', mergedKey: 'vm-gitlab-01b', moved: 1, dropped: 1 }),
    ]);
    expect(list.items[0]!.undoneAt).not.toBeNull();
  });

  it('refuses on one line: an unknown key, CIs of different types, a merge undone twice, a bad id', () => {
    const unknown = run(['merge', 'vm-gitlab-01', 'no-such-ci']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      `cmdb: No CI has the key or name "no-such-ci", and none matches its words. (Searched ${db}: check the spelling, and the --db file.)\n`,
    );
    const types = run(['merge', 'vm-gitlab-01', 'app-build-bot', '--json']);
    expect(types.code).toBe(1);
    expect(types.stderr).toContain(
      '"app-build-bot" is of type application and "vm-gitlab-01" of type virtual_machine: only CIs of the same type are merged.',
    );
    const twice = run(['undo-merge', '1']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(
      /^cmdb: Merge #1 \(vm-gitlab-01b into vm-gitlab-01\) cannot be undone: it was undone already, at \S+\.\n$/,
    );
    expect(run(['undo-merge', '999']).stderr).toBe(
      `cmdb: No merge #999. See the merges on the Health screen's Recent merges, or list them with: cmdb merges --db ${db}\n`,
    );
    const bad = run(['undo-merge', 'one']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('cmdb: ID must be a whole number of at least 1, not "one".\n');
    const huge = run(['undo-merge', '99999999999999999999']);
    expect(huge.stderr).toBe('cmdb: ID must be a whole number of at least 1, not "99999999999999999999" (too large).\n');
    expect(run(['merges', '--limit', '5000']).stderr).toBe('cmdb: --limit must be a whole number from 1 to 1000, not "5000".\n');
  });

  it('takes a CI by a name only it has, as other commands do; a merged key says where it went', () => {
    const byName = run(['merge', 'GitLab 01', 'vm-gitlab-01b', '--json']);
    expect(byName.code, byName.stderr).toBe(0);
    const rec = JSON.parse(byName.stdout) as { id: number; keptKey: string; mergedKey: string };
    expect(rec).toMatchObject({ keptKey: 'vm-gitlab-01', mergedKey: 'vm-gitlab-01b' });
    expect(run(['undo-merge', String(rec.id)]).code).toBe(0);
    // The duplicate by its name (in any case) too; a merged key then says where it went.
    const again = run(['merge', 'vm-gitlab-01', 'gitlab-01', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const id = (JSON.parse(again.stdout) as { id: number }).id;
    expect(run(['show', 'vm-gitlab-01b']).stderr).toBe(
      `cmdb: No CI has the key or name "vm-gitlab-01b": it was merged into vm-gitlab-01 (merge #${id}); use vm-gitlab-01, or undo the merge to bring it back.\n`,
    );
    expect(run(['undo-merge', String(id)]).code).toBe(0);
  });
});
