/** `cmdb serve` and `npm start`'s fallback, as real processes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCommand, writeRedirectPage } from '../../electron/cli/open-browser.js';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const dir = mkdtempSync(join(tmpdir(), 'cmdb-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a process and resolves with it once `ready` matches its stdout. */
function startUntil(
  cmd: string,
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; out: () => string }> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { cwd: resolve('.'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no ${ready} within 30 s; stdout: ${out}; stderr: ${err}`));
    }, 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        ok({ child, out: () => out });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`exited ${code} before ready; stdout: ${out}; stderr: ${err}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((ok) => child.once('exit', (code) => ok(code)));
}

describe('cmdb serve', () => {
  it('serves a new CMDB (filled from the demo) on 127.0.0.1 with a token, and stops cleanly on SIGTERM', async () => {
    const db = join(dir, 'served.db');
    const { child, out } = await startUntil(
      process.execPath,
      ['--import', 'tsx', 'electron/cli.ts', 'serve', '--db', db, '--json'],
      /\}\s*$/,
    );
    const info = JSON.parse(out()) as { url: string; port: number; db: string; created: boolean; fromDemo: boolean };
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(info).toMatchObject({ db, created: true, fromDemo: existsSync('assets/demo/cis.csv') });
    const token = new URL(info.url).searchParams.get('token')!;
    const res = await fetch(`http://127.0.0.1:${info.port}/api/stats`, { method: 'POST', headers: { 'X-CMDB-Token': token }, body: '{}' });
    expect(await res.json()).toMatchObject({ ok: true, value: { path: db } });
    const refused = await fetch(`http://127.0.0.1:${info.port}/api/stats`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The database was closed properly: WAL checkpointed and removed.
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('says, in its help and as it starts, that a new file named with --db holds the demo too, and how to start empty (found by a tester)', async () => {
    // The help read "(the default one, without --db)", as if a file named with --db started empty; it does not (docs/security.md).
    const help = await new Promise<string>((ok) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli.ts', 'serve', '--help'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', () => ok(out.replace(/\s+/g, ' ')));
    });
    expect(help).toContain(
      'a CMDB file that does not exist yet, the default one or one named with --db, is created holding the demo inventory (to start empty, undo its import on the Import screen, or first import your own files into it with cmdb import)',
    );
    const db = join(dir, 'named.db');
    const { child, out } = await startUntil(process.execPath, ['--import', 'tsx', 'electron/cli.ts', 'serve', '--db', db], /Press Ctrl\+C/);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    if (existsSync('assets/demo/cis.csv'))
      expect(out()).toContain(
        `CMDB Explorer is serving ${db} (new, filled from the demo inventory; to start empty, undo its import on the Import screen)`,
      );
  });

  it.runIf(process.platform === 'linux')(
    '--open hands the browser a private page, never the token on a command line other users can read',
    async () => {
      // A stand-in for xdg-open that records what it was given.
      const bin = mkdtempSync(join(tmpdir(), 'cmdb-bin-'));
      const seen = join(bin, 'seen');
      writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${seen}.args"\ncat "$1" > "${seen}.page"\n`);
      chmodSync(join(bin, 'xdg-open'), 0o755);
      const { child, out } = await startUntil(
        process.execPath,
        ['--import', 'tsx', 'electron/cli.ts', 'serve', '--db', join(dir, 'opened.db'), '--json', '--open'],
        /\}\s*$/,
        { PATH: `${bin}:${process.env.PATH ?? ''}` },
      );
      try {
        const { url } = JSON.parse(out()) as { url: string };
        const token = new URL(url).searchParams.get('token')!;
        for (let i = 0; i < 100 && !existsSync(`${seen}.page`); i++) await new Promise((r) => setTimeout(r, 100));
        const args = readFileSync(`${seen}.args`, 'utf8').trim().split('\n');
        expect(args).toHaveLength(1);
        expect(args[0]).toMatch(/open\.html$/);
        expect(args.join(' ')).not.toContain(token);
        expect(readFileSync(`${seen}.page`, 'utf8')).toContain(`content="0;url=${url}"`);
        expect(statSync(args[0]!).mode & 0o777).toBe(0o600);
        const exited = exitOf(child);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(existsSync(args[0]!)).toBe(false);
      } finally {
        child.kill('SIGKILL');
        rmSync(bin, { recursive: true, force: true });
      }
    },
  );

  it('writes the redirect page for this user only, with the URL escaped, and opens the file on every platform', () => {
    const url = 'http://127.0.0.1:1/?token=a&b="c"<d>';
    const page = writeRedirectPage(url);
    try {
      expect(statSync(page.file).mode & 0o777).toBe(0o600);
      expect(statSync(join(page.file, '..')).mode & 0o777).toBe(0o700);
      const html = readFileSync(page.file, 'utf8');
      expect(html).toContain('content="0;url=http://127.0.0.1:1/?token=a&amp;b=&quot;c&quot;&lt;d&gt;"');
      expect(html).not.toContain(url);
      for (const platform of ['linux', 'darwin', 'win32'] as const) {
        const [, args] = openCommand(page.file, platform);
        expect(args.at(-1)).toBe(page.file);
      }
    } finally {
      page.remove();
    }
    expect(existsSync(page.file)).toBe(false);
  });

  it('refuses a bad port with a one-line reason', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli.ts', 'serve', '--db', join(dir, 'x.db'), '--port', '99999'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(err).toMatch(/^cmdb: --port must be a whole number from 0 to 65535, not "99999"\./);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});

describe('npm start without the Electron binary', () => {
  const electron = findElectronBinary();
  const built = existsSync('dist/cli.js');
  it.skipIf(Boolean(electron.bin) || !built)('says so in one line, then starts the web host and prints its URL', async () => {
    const db = join(dir, 'start.db');
    const { child, out } = await startUntil(
      process.execPath,
      ['scripts/start.mjs', '--db', db],
      /Open http:\/\/127\.0\.0\.1:\d+\/\?token=\w+\n/,
    );
    const lines = out().split('\n');
    expect(lines[0]).toMatch(/^Electron binary not installed \(.+\); starting the web host instead\.$/);
    expect(out()).toContain(`serving ${db}`);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
