/**
 * A failed first import removes the CMDB file it made, but never one another process uses or wrote into: two
 * imports started together into a new path both see it new, and the one that fails must not delete the other's.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingFolders, removeUnusedNewCmdb } from '../../electron/cli/new-cmdb-file.js';
import { connect, openDatabase } from '../../electron/cmdb/db.js';
import { tempDir } from './helpers.js';

const newCmdb = (path: string) => openDatabase(path);

describe('removeUnusedNewCmdb', () => {
  it('removes a new CMDB nobody uses and nothing was written into, with the folders made for it', () => {
    const dir = tempDir();
    const path = join(dir, 'a', 'b', 'new.db');
    const folders = missingFolders(path);
    expect(folders).toEqual([join(dir, 'a', 'b'), join(dir, 'a')]);
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    newCmdb(path).close();
    expect(removeUnusedNewCmdb(path, folders)).toBe(true);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(existsSync(dir)).toBe(true);
  });

  it('keeps it while another connection has it open, even idle', () => {
    const path = join(tempDir(), 'new.db');
    const other = newCmdb(path);
    expect(removeUnusedNewCmdb(path)).toBe(false);
    expect(existsSync(path)).toBe(true);
    // The other process's data is still there and still written.
    other.prepare("INSERT INTO cis(key, name, type, created_at, updated_at) VALUES ('a', 'A', 'server', 'x', 'x')").run();
    other.close();
    expect(removeUnusedNewCmdb(path)).toBe(false);
    const back = openDatabase(path);
    expect(back.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(1);
    back.close();
  });

  it('keeps a CMDB another import wrote into and closed, and a file that is not a CMDB', () => {
    const dir = tempDir();
    const path = join(dir, 'new.db');
    const db = newCmdb(path);
    db.prepare(
      "INSERT INTO imports(started_at, files, mode, source, status, options) VALUES ('x', '[]', 'upsert', 's', 'committed', '{}')",
    ).run();
    db.close();
    expect(removeUnusedNewCmdb(path)).toBe(false);
    expect(existsSync(path)).toBe(true);
    expect(removeUnusedNewCmdb(join(dir, 'missing.db'))).toBe(false);
    const other = join(dir, 'other.db');
    const foreign = openDatabase(':memory:');
    foreign.exec(`VACUUM INTO '${other}'`);
    foreign.close();
    const raw = connect(other, { readonly: false, fileMustExist: true });
    raw.exec('DROP TABLE cis; CREATE TABLE notes(x)');
    raw.close();
    expect(removeUnusedNewCmdb(other)).toBe(false);
    // An empty file (two imports raced, and neither committed its schema) holds nothing: removed.
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    expect(removeUnusedNewCmdb(empty)).toBe(true);
  });
});
