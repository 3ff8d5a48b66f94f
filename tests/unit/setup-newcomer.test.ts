/**
 * A newcomer's setup: the test command finds a Chromium or says in one line
 * how to get one, `engines` admits only Node versions every runtime
 * dependency supports, and test-only packages do not ship with the app.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { findChromium, HOW_TO_GET_CHROMIUM } from '../../scripts/chromium.mjs';

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  engines?: { node?: string } | string[];
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };

describe('findChromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-chromium-'));
  const fake = join(dir, 'chrome');
  writeFileSync(fake, '');
  const none = { playwright: () => null, systemPaths: [join(dir, 'missing')] };

  it('takes CMDB_CHROMIUM first, and says so when it names nothing', () => {
    expect(findChromium({ CMDB_CHROMIUM: fake }, { playwright: () => '/elsewhere' })).toEqual({ path: fake, source: 'CMDB_CHROMIUM' });
    const r = findChromium({ CMDB_CHROMIUM: join(dir, 'nope') }, none);
    expect(r.path).toBeNull();
    expect(r.reason).toContain(join(dir, 'nope'));
  });

  it("prefers Playwright's own Chromium to a system one", () => {
    expect(findChromium({}, { playwright: () => '/pw/chrome', systemPaths: [fake] })).toEqual({
      path: '/pw/chrome',
      source: "Playwright's Chromium",
    });
  });

  it('falls back to the usual system paths, in order', () => {
    expect(findChromium({}, { playwright: () => null, systemPaths: [join(dir, 'missing'), fake] })).toEqual({
      path: fake,
      source: 'system',
    });
  });

  it('without any, answers with one line saying how to get one', () => {
    const r = findChromium({}, none);
    expect(r).toEqual({ path: null, reason: HOW_TO_GET_CHROMIUM });
    expect(HOW_TO_GET_CHROMIUM).not.toContain('\n');
    expect(HOW_TO_GET_CHROMIUM).toContain('apt-get install chromium');
    expect(HOW_TO_GET_CHROMIUM).toContain('npx playwright install chromium');
  });
});

describe('npm test without a browser', () => {
  it('stops before building, with the one line', () => {
    const r = spawnSync(process.execPath, ['scripts/test.mjs', 'end-to-end'], {
      env: { ...process.env, CMDB_CHROMIUM: '/no/such/chromium' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('CMDB_CHROMIUM names /no/such/chromium, which does not exist.');
    expect(r.stdout).not.toContain('== build ==');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('steps: 0 passed, 1 failed');
  });
});

describe('package.json', () => {
  /** Every package installed for the product (not only for development), with the Node versions it asks for. */
  const runtime = Object.entries(lock.packages).filter(([k, v]) => k !== '' && !v.dev && !v.devOptional);
  const nodeRange = (e: LockEntry): string | undefined => (Array.isArray(e.engines) ? undefined : e.engines?.node);

  it('engines admits only Node versions that every runtime dependency supports', () => {
    const ours = pkg.engines.node;
    const probes = [semver.minVersion(ours)!.version, '20.19.0', '20.20.2', '22.12.0', '22.20.0', '24.0.0', '26.0.0', '27.0.0'];
    const admitted = probes.filter((v) => semver.satisfies(v, ours));
    expect(admitted).toContain('20.19.0');
    expect(admitted).toContain('22.12.0');
    const refused: string[] = [];
    for (const [name, entry] of runtime) {
      const theirs = nodeRange(entry);
      if (!theirs) continue;
      for (const v of admitted) if (!semver.satisfies(v, theirs)) refused.push(`${name} (${theirs}) refuses Node ${v}`);
    }
    expect(refused).toEqual([]);
  });

  it('ships one CSV parser and no test-only or type-only packages', () => {
    const deps = Object.keys(pkg.dependencies);
    expect(deps.filter((d) => d.startsWith('@types/'))).toEqual([]);
    expect(deps).not.toContain('csv-parse');
    expect(deps.filter((d) => ['papaparse', 'csv-parse', 'fast-csv', 'csv-parser', 'd3-dsv'].includes(d))).toEqual(['papaparse']);
  });
});
