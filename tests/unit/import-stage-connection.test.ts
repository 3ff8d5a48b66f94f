/**
 * The connection around an import (import/stages/connection.ts): the
 * settings an import runs with and their restoration, the switch to a
 * rollback journal for a load into an empty CMDB (only when alone) and back
 * to WAL, and what counts as an empty CMDB.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/cmdb/db.js';
import { runImport } from '../../electron/cmdb/import/engine.js';
import { isEmptyCmdb, rollbackJournalForLoad, tuneConnection } from '../../electron/cmdb/import/stages/connection.js';
import { freshService, ok, tempDir } from './helpers.js';

describe('the import connection', () => {
  it('runs with foreign keys off, sorts on disk and a 32 MB cache, and gets its own settings back', () => {
    const svc = freshService();
    const db = svc.db;
    const before = [
      db.pragma('foreign_keys', { simple: true }),
      db.pragma('temp_store', { simple: true }),
      db.pragma('cache_size', { simple: true }),
    ];
    const tuned = tuneConnection(db, { reads: true });
    expect([
      db.pragma('foreign_keys', { simple: true }),
      db.pragma('temp_store', { simple: true }),
      db.pragma('cache_size', { simple: true }),
    ]).toEqual([0, 1, -32768]);
    tuned.restore();
    expect([
      db.pragma('foreign_keys', { simple: true }),
      db.pragma('temp_store', { simple: true }),
      db.pragma('cache_size', { simple: true }),
    ]).toEqual(before);
  });

  it('reads a CMDB that holds data through a memory map, and loads an empty one without (its new pages would count as resident)', () => {
    const db = openDatabase(join(tempDir(), 'cmdb.db'));
    try {
      const mmap = () => db.pragma('mmap_size', { simple: true }) as number;
      const own = mmap();
      const reading = tuneConnection(db, { reads: true });
      // As much as asked, up to the build's limit (SQLITE_MAX_MMAP_SIZE, 2 GB in better-sqlite3's).
      expect(mmap()).toBeGreaterThanOrEqual(2 ** 30);
      reading.restore();
      expect(mmap()).toBe(own);
      const loading = tuneConnection(db, { reads: false });
      expect(mmap()).toBe(own);
      loading.restore();
      expect(mmap()).toBe(own);
    } finally {
      db.close();
    }
  });

  it('an import maps the CMDB file when the CMDB holds data, and not when it loads an empty one', async () => {
    const db = openDatabase(join(tempDir(), 'cmdb.db'));
    try {
      const pragma = db.pragma.bind(db);
      const set: string[] = [];
      db.pragma = ((source: string, options?: { simple?: boolean }) => {
        if (/^main\.mmap_size = [1-9]/.test(source)) set.push(source);
        return pragma(source, options);
      }) as typeof db.pragma;
      const cis = (n: number) => ({
        name: 'cis.csv',
        content: `id,name,type\n${Array.from({ length: n }, (_, i) => `c${i},C ${i},server`).join('\n')}\n`,
      });
      await runImport(db, { cis: cis(50) });
      expect(set).toEqual([]);
      await runImport(db, { cis: cis(60) });
      expect(set).toEqual([`main.mmap_size = ${4 * 2 ** 30}`]);
    } finally {
      db.close();
    }
  });

  it('an empty CMDB has no CI and no relationship', async () => {
    const svc = freshService();
    expect(isEmptyCmdb(svc.db)).toBe(true);
    await ok(svc, 'importCsv', { cis: { name: 'c.csv', content: 'id,name,type\na,A,server\n' } });
    expect(isEmptyCmdb(svc.db)).toBe(false);
  });

  it('switches a CMDB file to a rollback journal when alone, and back to WAL; stays in WAL when another connection has it open', () => {
    const path = join(tempDir(), 'cmdb.db');
    const db = openDatabase(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const journal = rollbackJournalForLoad(db);
      expect(journal).not.toBeNull();
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      journal!.restore();
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const other = openDatabase(path);
      try {
        expect(rollbackJournalForLoad(db)).toBeNull();
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        other.close();
      }
    } finally {
      db.close();
    }
  });

  it('an in-memory CMDB keeps its journal', () => {
    expect(rollbackJournalForLoad(freshService().db)).toBeNull();
  });
});
