/**
 * The demo as data: the source tables in assets/demo/source/ give exactly the
 * committed CSVs, and every failure scenario of scenarios.json holds when the
 * impact engine is asked, so a change to the tables or to the engine that
 * breaks a scenario fails here, by name.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CmdbService } from '../../electron/cmdb/service.js';
import { buildDemo, integrityProblems, type DemoEstate } from '../../scripts/demo/estate.js';
import { isolationProblems, openDemoCmdb, readScenarios, scenarioProblems } from '../../scripts/demo/scenarios.js';
import { DEMO_CIS, DEMO_RELS, ROOT, tempDir } from './helpers.js';

const SOURCE = join(ROOT, 'assets', 'demo', 'source');
const file = readScenarios(SOURCE);

let estate: DemoEstate;
let svc: CmdbService;
beforeAll(async () => {
  estate = buildDemo(SOURCE);
  svc = await openDemoCmdb(estate);
});
afterAll(() => svc.close());

describe('the demo source tables', () => {
  it('give byte for byte the committed CSVs', () => {
    expect(estate.cisCsv).toBe(readFileSync(DEMO_CIS, 'utf8'));
    expect(estate.relationshipsCsv).toBe(readFileSync(DEMO_RELS, 'utf8'));
  });

  it('have no problem of integrity', () => {
    expect(integrityProblems(estate.cis, estate.relationships)).toEqual([]);
  });

  it('hold failure scenarios to check, and an isolation of staging', () => {
    expect(file.scenarios.length).toBeGreaterThanOrEqual(20);
    expect(file.isolated.map((i) => i.environment)).toEqual(['production']);
  });
});

describe('the demo failure scenarios, asked of the impact engine', () => {
  const known = () => new Set(estate.cis.map((c) => c.id!));
  for (const s of file.scenarios) {
    it(`losing ${s.lose.join(' + ')}: ${s.why ?? JSON.stringify(s.expect)}`, async () => {
      expect(await scenarioProblems(svc, known(), s)).toEqual([]);
    });
  }
  for (const iso of file.isolated) {
    it(`losing ${iso.lose.length} CIs leaves ${iso.environment} untouched (${iso.why ?? ''})`, async () => {
      expect(await isolationProblems(svc, estate.cis, iso)).toEqual([]);
    });
  }
});

describe('the checks catch a broken estate', () => {
  it('a scenario whose expectation the engine does not give is reported, with what the engine said', async () => {
    const problems = await scenarioProblems(svc, new Set(estate.cis.map((c) => c.id!)), {
      lose: ['lb-edge-prod-01'],
      expect: { 'bs-checkout': 'down', 'no-such-ci': 'ok' },
    });
    expect(problems).toEqual([
      'scenario lb-edge-prod-01: no CI no-such-ci',
      'losing lb-edge-prod-01: bs-checkout is degraded, expected down',
    ]);
  });

  it('a loss that reaches the isolated environment is reported', async () => {
    const problems = await isolationProblems(svc, estate.cis, { lose: ['saas-stripe'], environment: 'production' });
    expect(problems).toContain('losing saas-stripe reaches production CI bs-checkout (down)');
  });

  it('a relationship to a CI the tables do not describe, or an unknown team, stops the build', () => {
    const dir = tempDir('cmdb-demo-');
    cpSync(SOURCE, dir, { recursive: true });
    const rels = join(dir, 'relationships.csv');
    writeFileSync(rels, `${readFileSync(rels, 'utf8')}bs-checkout,app-nowhere,depends_on,,,,,\n`);
    expect(() => buildDemo(dir)).toThrow(/bs-checkout -> unknown CI app-nowhere/);
    const teams = join(dir, 'teams.csv');
    writeFileSync(teams, readFileSync(teams, 'utf8').replace(/^team-web,.*\n/m, ''));
    expect(() => buildDemo(dir)).toThrow(/unknown team team-web/);
  });

  it('a column the generator does not know (a typo would drop its values) or a row without a target stops the build', () => {
    const dir = tempDir('cmdb-demo-');
    cpSync(SOURCE, dir, { recursive: true });
    const saas = join(dir, 'cis-saas.csv');
    writeFileSync(saas, readFileSync(saas, 'utf8').replace(/,vendor,/, ',vender,'));
    expect(() => buildDemo(dir)).toThrow(/cis-saas\.csv: unknown column vender/);
    cpSync(join(SOURCE, 'cis-saas.csv'), saas);
    const rels = join(dir, 'relationships.csv');
    writeFileSync(rels, `${readFileSync(rels, 'utf8')}bs-checkout,,depends_on,,,,,\n`);
    expect(() => buildDemo(dir)).toThrow(/relationships\.csv: row \d+ lacks a source or a target/);
  });

  it('make-demo exits non-zero and writes nothing when a scenario fails', () => {
    const source = tempDir('cmdb-demo-');
    const out = join(tempDir('cmdb-demo-out-'), 'demo');
    cpSync(SOURCE, source, { recursive: true });
    const scenarios = join(source, 'scenarios.json');
    writeFileSync(
      scenarios,
      readFileSync(scenarios, 'utf8').replace('"bs-payments": "down", "bs-checkout": "down"', '"bs-payments": "ok", "bs-checkout": "down"'),
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-demo.ts', '--source', source, '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('losing saas-stripe: bs-payments is down, expected ok');
    expect(existsSync(out)).toBe(false);
  });
});
