/**
 * `cmdb unify-values FIELD VALUE`: the fix of a value-variants finding from a
 * terminal, as the Health screen's "Use …" does: every CI holding another
 * spelling of VALUE (the same once trimmed, spaces collapsed and case ignored)
 * takes VALUE, in one transaction, recorded in history.
 */
import type { Command } from 'commander';
import { formatCountOf } from '../../shared/format.js';
import { RESPELLED_NOTE, spellingsText, type UnifyValuesResult, VARIANT_FIELDS } from '../../shared/health.js';
import { action, cmdbCommand, unwrap, withCommon, withService, type GlobalOpts } from './common.js';
import { printResult } from './terminal.js';

export function unifiedLines(r: UnifyValuesResult, opts: GlobalOpts): string[] {
  return [
    `${r.field} ${JSON.stringify(r.to)}: ${formatCountOf(r.changed, 'CI', 'CIs')} changed from ${spellingsText(r.from)}; ${formatCountOf(r.cis, 'CI holds', 'CIs hold')} it now.`,
    `Recorded in each CI's history (${cmdbCommand(opts, 'show', 'KEY', '--history', '5')}). ${RESPELLED_NOTE}`,
  ];
}

export function registerUnifyCommand(program: Command): void {
  withCommon(program.command('unify-values'))
    .description(
      `one spelling for a value spelled several ways (the value-variants finding): every CI whose FIELD holds another spelling of VALUE (the same trimmed, spaces collapsed, in any case) takes VALUE; recorded in history`,
    )
    .argument('<field>', `the field: ${VARIANT_FIELDS.join(', ')}`)
    .argument('<value>', 'the spelling to keep, exactly as a CI holds it (cmdb health --rule value-variants lists them)')
    .action(
      action(async (field: string, value: string, opts: GlobalOpts) => {
        await withService(opts, 'write', async (svc) => {
          // The field is checked by the contract, which names the fields it takes.
          const r = await unwrap(svc.call('unifyValues', { field: field as (typeof VARIANT_FIELDS)[number], to: value }));
          printResult(opts, r, (x) => unifiedLines(x, opts));
        });
      }),
    );
}
