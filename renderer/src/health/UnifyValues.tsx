/**
 * The fix a value-variants finding offers: the spelling to keep (the most
 * common proposed) and, once confirmed, every CI spelled otherwise takes it
 * (unifyValues: one transaction, each CI's history records it).
 */
import { useState } from 'react';
import { RESPELLED_NOTE, spellingsText, spellingText, type ValueVariants } from '../../../shared/health.js';
import { cmdb } from '../api.js';
import { ConfirmDialog } from '../ui/common.js';
import { formatCountOf } from '../../../shared/format.js';

export function UnifyValues({ variants, onFixed }: { variants: ValueVariants; onFixed: () => void }) {
  const { field, spellings } = variants;
  const [to, setTo] = useState(spellings[0]?.value ?? '');
  const [asking, setAsking] = useState(false);
  const others = spellings.filter((s) => s.value !== to);
  const changed = others.reduce((n, s) => n + s.cis, 0);
  return (
    <div className="health-fix">
      <select className="input" value={to} onChange={(e) => setTo(e.target.value)} aria-label={`Spelling of ${field} to keep`}>
        {spellings.map((s) => (
          <option key={s.value} value={s.value}>
            {spellingText(s)}
          </option>
        ))}
      </select>
      <button type="button" className="btn small primary" onClick={() => setAsking(true)}>
        Use this spelling
      </button>
      <ConfirmDialog
        open={asking}
        title={`One spelling of ${field}`}
        confirmLabel={`Change ${formatCountOf(changed, 'CI', 'CIs')}`}
        message={
          <>
            <p>
              Set {field} to <b className="mono">{JSON.stringify(to)}</b> on the {formatCountOf(changed, 'CI', 'CIs')} spelled otherwise (
              {spellingsText(others)}). Each CI&apos;s history records the change.
            </p>
            <p className="muted">{RESPELLED_NOTE}</p>
          </>
        }
        onConfirm={async () => {
          await cmdb.unifyValues({ field, to });
          onFixed();
        }}
        onClose={() => setAsking(false)}
      />
    </div>
  );
}
