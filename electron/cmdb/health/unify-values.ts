/**
 * The fix of a `value-variants` finding: every CI holding another spelling of
 * a value (the same once runs of spaces are one, trimmed, in any case) takes
 * the spelling kept, in one transaction. Each CI changed gets a history entry
 * like an edit's (its field, from and to), so its history shows it, undo of
 * an import that wrote the old spelling sees the later edit, and the impact
 * index is patched from it as after any edit. One long write (busy.ts
 * longWrite): other doors are told who holds the CMDB while it runs.
 */
import { CmdbError } from '../../../shared/errors.js';
import { spellingsText, type UnifyValuesResult, type VariantField } from '../../../shared/health.js';
import { longWrite } from '../busy.js';
import { doorOf } from '../holder.js';
import { surfaceOf } from '../import/advice.js';
import { nowIso } from '../rows.js';
import type { Store } from '../store.js';
import { spellingsOf } from './rules/variants.js';

/** Where the reader finds each value's spellings: the CLI's report, or the app's Health screen. */
const LISTED = { cli: 'cmdb health --rule value-variants lists them', app: 'the Health screen lists them under value-variants' } as const;

/** Rewrites `field` to `to` on every CI holding another spelling of it; refuses a `to` no CI holds, or one spelled one way only. */
export function unifyValues(store: Store, req: { field: VariantField; to: string }, source: string): UnifyValuesResult {
  const { db } = store;
  const { field, to } = req;
  return longWrite(db, { what: `a unify of ${field} ${JSON.stringify(to)}`, ...doorOf(source, 'unify-values') }, (): UnifyValuesResult => {
    const spellings = spellingsOf(db, field, to)?.spellings ?? [];
    const kept = spellings.find((s) => s.value === to);
    if (!kept) {
      const known = spellings.length > 0 ? ` Its spellings: ${spellingsText(spellings)}; give one of them exactly.` : '';
      throw new CmdbError(
        'INVALID_REQUEST',
        `No CI has ${field} ${JSON.stringify(to)}, so it cannot be the spelling kept.${known || ` Give a spelling a CI holds (${LISTED[surfaceOf(source)]}).`}`,
        { field, to },
      );
    }
    const from = spellings.filter((s) => s !== kept);
    if (from.length === 0) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `${field} ${JSON.stringify(to)} is spelled one way only (${spellingsText(spellings)}): nothing to unify.`,
        { field, to },
      );
    }
    const now = nowIso();
    const read = db.prepare(`SELECT id, key FROM cis WHERE ${field} = ? ORDER BY id`).raw();
    const update = db.prepare(`UPDATE cis SET ${field} = @to, updated_at = @now WHERE ${field} = @from`);
    for (const { value } of from) {
      const rows = read.all(value) as Array<[number, string]>;
      update.run({ to, now, from: value });
      for (const [id, key] of rows) {
        store.history.record({
          at: now,
          entity: 'ci',
          entityId: id,
          ciKey: key,
          action: 'update',
          summary: `Changed ${field}: one spelling, ${JSON.stringify(to)}, for ${JSON.stringify(value)} (value-variants)`,
          changes: { [field]: { from: value, to } },
          source,
          importId: null,
        });
      }
    }
    const changed = from.reduce((n, s) => n + s.cis, 0);
    return { field, to, from, changed, cis: kept.cis + changed };
  });
}
