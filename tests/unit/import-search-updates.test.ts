/**
 * A re-import that changes searched fields or creates CIs (stages/search-updates.ts): the search
 * triggers are set aside, and at the end of the CI stage each changed CI's old entry leaves the search
 * index and the new entries (changed and created CIs) enter, in one statement. The index then matches
 * the CIs exactly (FTS5's integrity-check against the content table), finds the new words and not the
 * old, and the triggers are back for later edits.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { undoImport } from '../../electron/cmdb/import/undo.js';
import { SearchUpdates } from '../../electron/cmdb/import/stages/search-updates.js';
import { batchSearchSettings } from '../../electron/cmdb/import/bulk/fts-settings.js';

const N = 400;
function cis(change: (i: number) => boolean, extra = 0) {
  const lines = ['id,name,type,owner,description,rack'];
  for (let i = 0; i < N; i++) {
    const c = change(i);
    lines.push(
      `ci-${i},${c ? `Zebra ${i}` : `Host ${i}`},server,${c ? 'team-moved' : `team-${i % 5}`},${c ? 'now in Oslo' : 'in Lyon'},R${i % 9}`,
    );
    // New CIs between the listed ones, as a week's export adds them.
    if (i < extra) lines.push(`new-${i},Wombat ${i},server,team-new,in Bergen,R1`);
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

  it('indexes the CIs a re-import creates (among changed ones) in one statement, and puts the insert trigger back', async () => {
    const db = openDatabase(':memory:');
    try {
      await runImport(db, { cis: cis(() => false) });
      const changed = (i: number) => i % 11 === 5;
      const r = await runImport(db, { cis: cis(changed, 150), mode: 'sync', rowsLimit: 10 });
      const n = Array.from({ length: N }, (_, i) => i).filter(changed).length;
      expect(r.counts).toMatchObject({ created: 150, updated: n, unchanged: N - n });
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('integrity-check', 1)");
      const match = db.prepare('SELECT count(*) FROM ci_fts WHERE ci_fts MATCH ?').pluck();
      expect(match.get('wombat')).toBe(150);
      expect(match.get('bergen')).toBe(150);
      expect(match.get('zebra')).toBe(n);
      expect(match.get('lyon')).toBe(N - n);
      const triggers = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'cis_fts_%' ORDER BY name").pluck();
      expect(triggers.all()).toEqual(['cis_fts_delete', 'cis_fts_insert', 'cis_fts_update']);
      // Later edits go through the triggers again.
      db.prepare(
        "INSERT INTO cis(key, type, name, attributes, created_at, updated_at) VALUES ('later', 'server', 'Numbat', '{}', 'now', 'now')",
      ).run();
      expect(match.get('numbat')).toBe(1);
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('integrity-check', 1)");
    } finally {
      db.close();
    }
  });

  it('sets the insert trigger aside at the first create and indexes every CI created after it at finish()', async () => {
    const db = openDatabase(':memory:');
    try {
      await runImport(db, { cis: cis(() => false) });
      const hasTrigger = () =>
        db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'cis_fts_insert'").pluck().get() === 1;
      const insert = db.prepare(
        "INSERT INTO cis(key, type, name, attributes, created_at, updated_at) VALUES (?, 'server', ?, '{}', 'now', 'now')",
      );
      const match = db.prepare('SELECT count(*) FROM ci_fts WHERE ci_fts MATCH ?').pluck();
      db.exec('BEGIN');
      const s = new SearchUpdates(db);
      s.beforeCreate();
      expect(hasTrigger()).toBe(false);
      for (let i = 0; i < 20; i++) {
        s.beforeCreate();
        insert.run(`k-${i}`, `Quoll ${i}`);
      }
      expect(match.get('quoll')).toBe(0); // not yet: row by row would have written 20 segments
      const first = db.prepare("SELECT id FROM cis WHERE key = 'k-0'").pluck().get() as number;
      s.before(first); // an update of a CI this import created: no old entry to take out
      db.prepare("UPDATE cis SET name = 'Quokka 0' WHERE id = ?").run(first);
      s.finish();
      db.exec('COMMIT');
      expect(hasTrigger()).toBe(true);
      expect(match.get('quoll')).toBe(19);
      expect(match.get('quokka')).toBe(1);
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('integrity-check', 1)");
    } finally {
      db.close();
    }
  });

  it("builds a batch with FTS5's batch settings and puts the index's own back, stored or default", () => {
    const db = openDatabase(':memory:');
    try {
      const config = () =>
        Object.fromEntries(
          db.prepare("SELECT k, v FROM ci_fts_config WHERE k IN ('automerge', 'hashsize')").raw().all() as Array<[string, number]>,
        );
      const before = config();
      const restore = batchSearchSettings(db);
      expect(config()).toEqual({ automerge: 16, hashsize: 16 * 2 ** 20 });
      restore();
      // An index that held no setting gets FTS5's defaults written out: the same settings.
      expect(config()).toEqual({ automerge: 4, hashsize: 2 ** 20, ...before });
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('automerge', 8)");
      batchSearchSettings(db)();
      expect(config()).toEqual({ automerge: 8, hashsize: 2 ** 20 });
    } finally {
      db.close();
    }
  });

  it('leaves the search index with its own settings after a re-import that creates and changes CIs', async () => {
    const db = openDatabase(':memory:');
    try {
      await runImport(db, { cis: cis(() => false) });
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('automerge', 6)");
      await runImport(db, { cis: cis((i) => i % 5 === 0, 50), mode: 'sync' });
      const config = db.prepare("SELECT k, v FROM ci_fts_config WHERE k IN ('automerge', 'hashsize') ORDER BY k").raw().all();
      expect(config).toEqual([
        ['automerge', 6],
        ['hashsize', 2 ** 20],
      ]);
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('integrity-check', 1)");
    } finally {
      db.close();
    }
  });

  it('an undo of changed CIs puts their old entries back in one batch, and the triggers with them', async () => {
    const db = openDatabase(':memory:');
    try {
      await runImport(db, { cis: cis(() => false) });
      const r = await runImport(db, { cis: cis((i) => i % 4 === 1, 30), mode: 'sync' });
      const match = db.prepare('SELECT count(*) FROM ci_fts WHERE ci_fts MATCH ?').pluck();
      expect(match.get('zebra')).toBe(N / 4);
      const undone = undoImport(db, r.importId!);
      expect(undone).toMatchObject({ cisRestored: N / 4, cisDeleted: 30 });
      db.exec("INSERT INTO ci_fts(ci_fts, rank) VALUES ('integrity-check', 1)");
      expect(match.get('zebra')).toBe(0);
      expect(match.get('wombat')).toBe(0);
      expect(match.get('lyon')).toBe(N);
      const triggers = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'cis_fts_%' ORDER BY name").pluck();
      expect(triggers.all()).toEqual(['cis_fts_delete', 'cis_fts_insert', 'cis_fts_update']);
    } finally {
      db.close();
    }
  });
});
