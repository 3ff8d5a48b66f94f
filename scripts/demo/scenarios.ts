/**
 * The demo's failure scenarios (assets/demo/source/scenarios.json), checked
 * by the app's own impact engine: the generated CSVs are imported into an
 * in-memory CMDB and each scenario's CIs are lost through the service's
 * `impact` method, as the CLI and the app would ask it. There is no second
 * evaluator of the redundancy rules: a scenario holds exactly when the
 * engine says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CmdbService } from '../../electron/cmdb/service.js';
import type { DemoCi, DemoEstate } from './estate.js';

/** A state as a scenario expects it; `ok` is a CI the failure does not reach. */
export type ScenarioState = 'ok' | 'degraded' | 'down';

/** Losing `lose` leaves each CI of `expect` in its state. */
export interface Scenario {
  lose: string[];
  expect: Record<string, ScenarioState>;
  why?: string;
}

/** Losing `lose` leaves every CI of `environment` untouched. */
export interface Isolation {
  lose: string[];
  environment: string;
  why?: string;
}

/** The scenarios of a source folder. */
export interface ScenarioFile {
  scenarios: Scenario[];
  isolated: Isolation[];
}

/** The scenarios in `sourceDir`/scenarios.json. */
export function readScenarios(sourceDir: string): ScenarioFile {
  const file = JSON.parse(readFileSync(join(sourceDir, 'scenarios.json'), 'utf8')) as Partial<ScenarioFile>;
  return { scenarios: file.scenarios ?? [], isolated: file.isolated ?? [] };
}

/** A CMDB in memory holding the estate, imported from its generated CSVs. The caller closes it. */
export async function openDemoCmdb(estate: DemoEstate): Promise<CmdbService> {
  const svc = CmdbService.open(':memory:', { source: 'make-demo' });
  const r = await svc.call('importCsv', {
    cis: { name: 'cis.csv', content: estate.cisCsv },
    relationships: { name: 'relationships.csv', content: estate.relationshipsCsv },
  });
  if (!r.ok) {
    svc.close();
    throw new Error(`importing the demo failed: ${r.error.code}: ${r.error.message}`);
  }
  return svc;
}

/** The state of every CI the engine finds impacted when `keys` go down (the lost CIs themselves included). */
export async function statesAfterLosing(svc: CmdbService, keys: string[]): Promise<Map<string, string>> {
  const r = await svc.call('impact', { keys, direction: 'downstream', limit: 1_000_000 });
  if (!r.ok) throw new Error(`impact of ${keys.join(' + ')} failed: ${r.error.code}: ${r.error.message}`);
  if (r.value.truncated) throw new Error(`impact of ${keys.join(' + ')} was truncated`);
  return new Map(r.value.impacted.map((c) => [c.key, c.state]));
}

/** What is wrong with one scenario on `svc`: a named CI that does not exist, or a state other than expected. */
export async function scenarioProblems(svc: CmdbService, known: ReadonlySet<string>, s: Scenario): Promise<string[]> {
  const problems = [...s.lose, ...Object.keys(s.expect)]
    .filter((k) => !known.has(k))
    .map((k) => `scenario ${s.lose.join('+')}: no CI ${k}`);
  const states = await statesAfterLosing(svc, s.lose);
  for (const [key, want] of Object.entries(s.expect)) {
    const got = states.get(key) ?? 'ok';
    if (got !== want) problems.push(`losing ${s.lose.join(' + ')}: ${key} is ${got}, expected ${want}`);
  }
  return problems;
}

/** What is wrong with one isolation on `svc`: each CI of its environment the loss reaches. */
export async function isolationProblems(svc: CmdbService, cis: readonly DemoCi[], iso: Isolation): Promise<string[]> {
  const environment = new Map(cis.map((c) => [c.id!, c.environment!]));
  const states = await statesAfterLosing(svc, iso.lose);
  return [...states.keys()]
    .filter((key) => environment.get(key) === iso.environment)
    .map((key) => `losing ${iso.lose.join(' + ')} reaches ${iso.environment} CI ${key} (${states.get(key)})`);
}

/** Every problem of every scenario and isolation of `file`, checked by the engine on the estate. */
export async function checkScenarios(estate: DemoEstate, file: ScenarioFile): Promise<string[]> {
  const svc = await openDemoCmdb(estate);
  try {
    const known = new Set(estate.cis.map((c) => c.id!));
    const problems: string[] = [];
    for (const s of file.scenarios) problems.push(...(await scenarioProblems(svc, known, s)));
    for (const iso of file.isolated) problems.push(...(await isolationProblems(svc, estate.cis, iso)));
    return problems;
  } finally {
    svc.close();
  }
}
