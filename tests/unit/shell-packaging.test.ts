/** The packaging configuration, checked against electron-builder's own JSON schema (Electron cannot be downloaded here to build for real). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

/** The CLI's chunks, which dist/cli.js loads (scripts/build-node.mjs). */
const cliChunks = (): string[] =>
  existsSync('dist/cli')
    ? readdirSync('dist/cli')
        .filter((f) => f.endsWith('.js'))
        .map((f) => join('dist/cli', f))
    : [];
const config = require('../../electron-builder.config.cjs') as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  asarUnpack: string[];
  files: string[];
};
const schema = JSON.parse(readFileSync(resolve('node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(schema);
}

describe('electron-builder.config.cjs', () => {
  it('is valid against electron-builder’s schema', () => {
    const validate = validator();
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check catches mistakes (a misspelt fuse, a wrong type)', () => {
    const validate = validator();
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).toBe(false);
    expect(validate({ ...config, asar: 'yes' })).toBe(false);
  });

  it('targets Linux AppImage + deb, Windows NSIS, macOS dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config).toMatchObject({ appId: expect.stringMatching(/^[a-z0-9.]+$/), productName: 'CMDB Explorer' });
  });

  it('locks the binary with fuses: no RunAsNode, no NODE_OPTIONS or inspect, encrypted cookies, asar integrity, asar only', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('unpacks better-sqlite3 from the asar and rebuilds it for Electron', () => {
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*');
    expect(config).toMatchObject({ asar: true, npmRebuild: true });
    // Every runtime dependency better-sqlite3 loads its addon with is unpacked too.
    const deps = Object.keys((require('better-sqlite3/package.json') as { dependencies: Record<string, string> }).dependencies);
    expect(deps).toContain('bindings');
    expect(config.asarUnpack).toContain('node_modules/bindings/**/*');
  });

  it('unpacks iconv-lite, which the import loads at run time (not bundled), with what it needs; both are production dependencies', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toContain('iconv-lite');
    expect(config.asarUnpack).toContain('node_modules/iconv-lite/**/*');
    const deps = Object.keys((require('iconv-lite/package.json') as { dependencies: Record<string, string> }).dependencies);
    for (const d of deps) expect(config.asarUnpack).toContain(`node_modules/${d}/**/*`);
    // The bundles leave it out: each process parses it only when a file needs it.
    for (const f of ['dist/cli.js', ...cliChunks(), 'dist/import-worker.js', 'dist/rel-planner-worker.js']) {
      if (existsSync(f)) expect(readFileSync(f, 'utf8')).not.toContain('sbcs-data-generated');
    }
  });

  it("ships the CLI's entry and the chunks it loads; the entry is small and leaves the commands to a chunk", () => {
    expect(config.files).toContain('dist/cli.js');
    expect(config.files).toContain('dist/cli/**/*');
    if (!existsSync('dist/cli.js')) return;
    const entry = readFileSync('dist/cli.js', 'utf8');
    // An import starts its thread before the commands (commander, zod, the engine) are parsed.
    expect(entry.length).toBeLessThan(8_000);
    expect(entry).not.toContain('new Command(');
    expect(cliChunks().some((f) => readFileSync(f, 'utf8').includes('new Command('))).toBe(true);
  });

  it('ships the main process, preload, engine worker, renderer, icon and demo', () => {
    for (const f of ['dist/electron/**/*', 'dist/renderer/**/*', 'assets/icon.png', 'assets/demo/**/*']) expect(config.files).toContain(f);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/electron/main.js');
    expect(pkg.scripts.dist).toContain('electron-builder.config.cjs');
  });

  it('has a 512x512 RGBA PNG icon', () => {
    const png = readFileSync('assets/icon.png');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    expect(png[25]).toBe(6); // colour type RGBA
  });
});
