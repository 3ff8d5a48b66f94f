/**
 * Where health rules come from: a rules file given by path (`cmdb health
 * --rules FILE`), given inline (a request's `rules`), or the file beside the
 * CMDB (`<cmdb file>.health.json`) when it exists; else the defaults. A bad
 * file is refused naming the file, the key and what to do, never ignored.
 */
import { parseJsonText } from '../../../shared/json-text.js';
import { readFileSync, statSync } from 'node:fs';
import { CmdbError } from '../../../shared/errors.js';
import { healthConfig, type HealthConfig, type HealthRulesFile, healthRulesFileSchema } from '../../../shared/health.js';
import type { Db } from '../db.js';

/** The rules file the app and CLI read beside the CMDB file `dbPath`. */
export function rulesFileBeside(dbPath: string): string {
  return `${dbPath}.health.json`;
}

/** Parses a rules file's text; `file` names it in errors. */
export function parseRulesFile(text: string, file: string): HealthRulesFile {
  const read = parseJsonText(text);
  if (!read.ok) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `${file}: not valid JSON: ${read.message}. Fix the file; docs/health.md "Rules file" shows its shape.`,
    );
  }
  const json = read.value;
  const parsed = healthRulesFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CmdbError('INVALID_REQUEST', `${file}: not a valid rules file: ${problems}. See docs/health.md "Rules file".`);
  }
  return parsed.data;
}

/** Reads the rules file at `path`, refusing a missing or bad one. */
export function readRulesFile(path: string): HealthRulesFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CmdbError('FILE_NOT_FOUND', `${path}: no such rules file. Give the path of a JSON rules file (docs/health.md "Rules file").`);
  }
  return parseRulesFile(text, path);
}

export interface LoadedRules {
  config: HealthConfig;
  /** The file the rules came from, or null (inline or the defaults). */
  file: string | null;
  /** Identifies these rules for caching: the same text gives the same signature. */
  signature: string;
}

/** The file beside a CMDB as last read, by path: read again only when its size or time changed. */
const besideRead = new Map<string, { mtimeMs: number; size: number; loaded: LoadedRules }>();

/**
 * The rules to run: inline ones when given, else the file beside `dbPath`
 * when it exists, else the defaults. Every impact answer asks, so the file
 * is parsed once per version of it (a stat per call), not per answer.
 */
export function loadHealthRules(dbPath: string, inline?: HealthRulesFile): LoadedRules {
  if (inline) return { config: healthConfig(inline), file: null, signature: JSON.stringify(inline) };
  const beside = rulesFileBeside(dbPath);
  const stat = dbPath !== '' && dbPath !== ':memory:' ? statSync(beside, { throwIfNoEntry: false }) : undefined;
  if (!stat) {
    besideRead.delete(beside);
    return { config: healthConfig(), file: null, signature: 'defaults' };
  }
  const known = besideRead.get(beside);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.loaded;
  const rules = readRulesFile(beside);
  const loaded = { config: healthConfig(rules), file: beside, signature: `${beside}:${JSON.stringify(rules)}` };
  besideRead.set(beside, { mtimeMs: stat.mtimeMs, size: stat.size, loaded });
  return loaded;
}

/**
 * The CI types the rules name (exemptTypes, stale.byType) that the CMDB's type registry does not know: a
 * typo (`virtual-machine` for `virtual_machine`) would otherwise exempt nothing, without a word.
 */
export function unknownTypeWarnings(db: Db, config: HealthConfig): string[] {
  const named: Array<[string, string[]]> = [
    ['duplicate.exemptTypes', config.duplicateExemptTypes],
    ['orphan.exemptTypes', config.orphanExemptTypes],
    ['missing-owner.exemptTypes', config.ownerExemptTypes],
    ['stale.exemptTypes', config.staleExemptTypes],
    ['stale.byType', Object.keys(config.staleDaysByType)],
  ];
  if (named.every(([, types]) => types.length === 0)) return [];
  const known = new Set(db.prepare('SELECT name FROM ci_types').pluck().all() as string[]);
  return named.flatMap(([where, types]) => {
    const unknown = types.filter((t) => !known.has(t));
    if (unknown.length === 0) return [];
    const list = unknown.map((t) => `"${t}"`).join(', ');
    return [
      `${where} names ${list}, ${unknown.length === 1 ? 'a type' : 'types'} the CMDB's type registry does not know: check the spelling ` +
        '(a type is written as the CIs show it, lower case with _, e.g. virtual_machine), or remove it.',
    ];
  });
}
