/**
 * A re-import that changes searched fields (stages/search-updates.ts): the update trigger is set aside,
 * and at the end of the CI stage each changed CI's old entry leaves the search index and its new one
 * enters, in one statement. The index then matches the CIs exactly (FTS5's integrity-check against the
 * content table), finds the new words and not the old, and the trigger is back for later edits.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { runImport } from '../../electron/cmdb/import/engine.js';

const N = 400;
function cis(change: (i: number) => boolean) {
  const lines = ['id,name,type,owner,description,rack'];
  for (let i = 0; i < N; i++) {
    const c = change(i);
    lines.push(
      `ci-${i},${c ? `Zebra ${i}` : `Host ${i}`},server,${c ? 'team-moved' : `team-${i % 5}`},${c ? 'now in Oslo' : 'in Lyon'},R${i % 9}`,
    );
  }
  return { name: 'cis.csv', content: `${lines.join('\n')}\n` };
}

describe('search index after a re-import that changes searched fields', () => {
  it('matches the CIs exactly, finds the new words and not the old, and keeps the trigger', async () => {
    const db = openDatabase(':memory:');
    try {
      await runImport(db, { cis: cis(() => false) });
      const changed = (i: number) => i % 7 === 3;
      const r = await runImport(db, { cis: cis(changed), mode: 'sync', rowsLimit: 0 });
      const n = Array.from({ length: N }, (_, i) => i).filter(changed).length;
      expect(r.counts).toMatchObject({ updated: n, unchanged: N - n });
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('integrity-check', 1)");
      const match = db.prepare('SELECT count(*) FROM ci_fts WHERE ci_fts MATCH ?').pluck();
      expect(match.get('zebra')).toBe(n);
      expect(match.get('oslo')).toBe(n);
      expect(match.get('"team-moved"')).toBe(n);
      expect(match.get('lyon')).toBe(N - n);
      expect(match.get('"Host 3"')).toBe(0);
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'cis_fts_update'").pluck().get()).toBe(1);
      db.prepare("UPDATE cis SET name = 'Quokka' WHERE key = 'ci-0'").run();
      expect(match.get('quokka')).toBe(1);
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('integrity-check', 1)");
    } finally {
      db.close();
    }
  });
});
