/**
 * Which CI a person means by a key or a name (the contract's resolveCis),
 * for every door: the CLI's commands that take a CI, and any screen that
 * lets a person type one.
 */
import type { CiRefProblems, ResolvedCi } from '../../shared/api.js';
import { CmdbError } from '../../shared/errors.js';
import type { Db } from './db.js';
import { MergedKeys } from './health/merged-keys.js';
import { cleanText } from '../../shared/text.js';
import { Search } from './search.js';

/** Candidates named per ambiguous ref; `more` counts the rest. */
export const CANDIDATES_SHOWN = 20;
/** Close matches named per ref that names no CI (the best of a search for its words). */
export const CLOSE_SHOWN = 5;
/** Refs that name no CI searched for close matches, at most: a screen asking after many gone keys waits for no more. */
export const CLOSE_SEARCHED = 10;

type Brief = { key: string; name: string; type: string };
type Problem = CiRefProblems['problems'][number];

/** The names of the CIs with these keys, for text a person reads; a key no CI has is left out. */
export function namesByKey(db: Db, keys: readonly string[]): Array<{ key: string; name: string }> {
  if (keys.length === 0) return [];
  const sql = 'SELECT key, name FROM cis WHERE key IN (SELECT value FROM json_each(?))';
  return db.prepare(sql).all(JSON.stringify(keys)) as Array<{ key: string; name: string }>;
}

/**
 * Each ref as a CI: a key wins; else the one CI with that name exactly
 * (case-sensitive), else the one CI with that name in any case (SQLite's
 * NOCASE: ASCII letters). A ref is also read as an import stores text
 * (cleanText: trimmed, NFC, no-break spaces as spaces). Refuses, naming every ref that failed: AMBIGUOUS
 * when a name is shared (with its candidates), else NOT_FOUND.
 */
export function resolveCis(db: Db, refs: readonly string[]): { cis: ResolvedCi[] } {
  const byKey = db.prepare('SELECT key, name, type FROM cis WHERE key = ?');
  // cis_name indexes name COLLATE NOCASE: both lookups go through it, the exact one then compares as stored.
  const exact = {
    list: db.prepare(
      `SELECT key, name, type FROM cis WHERE name = @ref COLLATE NOCASE AND name = @ref ORDER BY key LIMIT ${CANDIDATES_SHOWN}`,
    ),
    count: db.prepare('SELECT count(*) AS n FROM cis WHERE name = @ref COLLATE NOCASE AND name = @ref').pluck(),
  };
  const anyCase = {
    list: db.prepare(`SELECT key, name, type FROM cis WHERE name = @ref COLLATE NOCASE ORDER BY key LIMIT ${CANDIDATES_SHOWN}`),
    count: db.prepare('SELECT count(*) AS n FROM cis WHERE name = @ref COLLATE NOCASE').pluck(),
  };
  const cis: ResolvedCi[] = [];
  const problems: Problem[] = [];
  for (const ref of refs) {
    // As an import stores text (cleanText: trimmed, in NFC, no-break spaces as spaces): a key copied from a
    // file saved on a Mac (é as e and an accent), or from Excel (a no-break space).
    const asStored = cleanText(ref) ?? ref;
    const ci = (byKey.get(ref) ?? (asStored !== ref ? byKey.get(asStored) : undefined)) as Brief | undefined;
    if (ci) {
      cis.push({ ref, ...ci, matchedBy: 'key' });
      continue;
    }
    let n = exact.count.get({ ref: asStored }) as number;
    let lookup = exact;
    if (n === 0) {
      n = anyCase.count.get({ ref: asStored }) as number;
      lookup = anyCase;
    }
    const found = n === 0 ? [] : (lookup.list.all({ ref: asStored }) as Brief[]);
    if (n === 1) cis.push({ ref, ...found[0]!, matchedBy: 'name' });
    else problems.push({ ref, problem: n === 0 ? 'not_found' : 'ambiguous', candidates: found, more: Math.max(0, n - found.length) });
  }
  if (problems.length > 0) throw refusal(db, problems);
  return { cis };
}

/** The refusal naming every problem; a key a merge took says where it went (MergedKeys). */
function refusal(db: Db, problems: Problem[]): CmdbError {
  const ambiguous = problems.some((p) => p.problem === 'ambiguous');
  const merged = new MergedKeys(db);
  const search = new Search(db);
  let searched = 0;
  const notFound = (p: Problem) => {
    const m = p.problem === 'not_found' ? merged.into(p.ref) : undefined;
    if (m) p.mergedInto = { key: m.keptKey, mergeId: m.mergeId, mergeIds: m.chain.map((c) => c.mergeId) };
    if (m) return `No CI has the key or name "${p.ref}": ${merged.hint(p.ref)}.`;
    if (searched++ >= CLOSE_SEARCHED) return `No CI has the key or name "${p.ref}".`;
    closeMatches(search, p);
    const close = p.candidates.map((c) => `${c.key} (${c.name})`).join(', ');
    const more = p.more > 0 ? ` and ${p.more} more` : '';
    return close
      ? `No CI has the key or name "${p.ref}". Close matches: ${close}${more}.`
      : `No CI has the key or name "${p.ref}", and none matches its words.`;
  };
  const reasons = problems.map((p) =>
    p.problem === 'not_found'
      ? notFound(p)
      : `"${p.ref}" is the name of ${p.candidates.length + p.more} CIs: ${p.candidates
          .map((c) => `${c.key} (${c.type})`)
          .join(', ')}${p.more > 0 ? ` and ${p.more} more` : ''}. Give one of their keys.`,
  );
  const details: CiRefProblems = { problems };
  return new CmdbError(ambiguous ? 'AMBIGUOUS' : 'NOT_FOUND', reasons.join(' '), details);
}

/**
 * The CIs a ref that names none may have meant: the best matches of a search
 * for its words (as the search box finds them: each word a prefix of a word
 * in the key, name, type, owner, description or attributes), into the
 * problem's candidates.
 */
function closeMatches(search: Search, p: Problem): void {
  const found = search.list({ query: p.ref, offset: 0, limit: CLOSE_SHOWN });
  p.candidates = found.items.map((c) => ({ key: c.key, name: c.name, type: c.type }));
  p.more = Math.max(0, found.total - found.items.length);
}
