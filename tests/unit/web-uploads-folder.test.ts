/**
 * Upload folders of killed hosts: the next host to start removes the folders of processes that are gone,
 * never those of a running one (or a folder not named by a process).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newUploadsFolder, sweepUploadFolders } from '../../electron/web/uploads-folder.js';
import { tempDir } from './helpers.js';

describe('upload folders', () => {
  it("removes a gone process's folder, keeps a running one's and other names", () => {
    const dir = tempDir('cmdb-uploads-sweep-');
    // A process that has ended: its pid is free (a reuse by another process would keep the folder, which is safe).
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    const dead = join(dir, `cmdb-uploads-${gone}-abc123`);
    mkdirSync(join(dead, 'f-1'), { recursive: true });
    writeFileSync(join(dead, 'f-1', 'big.csv'), 'a,b\n');
    const mine = join(dir, `cmdb-uploads-${process.pid}-def456`);
    mkdirSync(mine);
    const legacy = join(dir, 'cmdb-uploads-Xy12Zq');
    mkdirSync(legacy);
    // Touched within the day: kept (a live host in another pid namespace may share the folder); a day on, removed.
    expect(sweepUploadFolders(dir)).toEqual([]);
    const link = join(dir, `cmdb-uploads-${gone}-link`);
    symlinkSync(mine, link);
    const dayOn = Date.now() + 25 * 3600 * 1000;
    expect(sweepUploadFolders(dir, dayOn)).toEqual([dead]);
    // A link planted under such a name is not followed nor removed; a running process's folder stays.
    expect([existsSync(dead), existsSync(mine), existsSync(legacy), existsSync(link)]).toEqual([false, true, true, true]);
    const made = newUploadsFolder(dir);
    expect(made.startsWith(join(dir, `cmdb-uploads-${process.pid}-`))).toBe(true);
    expect(existsSync(made)).toBe(true);
  });
});
