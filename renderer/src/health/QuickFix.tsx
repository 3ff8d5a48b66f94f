/**
 * Fixes a missing owner or criticality in place: one field, set with
 * updateCi (recorded in history like any edit); the counts refresh after.
 */
import { useState } from 'react';
import { CRITICALITY_SCALE } from '../../../shared/vocab.js';
import { cmdb } from '../api.js';
import { ErrorBox, useSubmit } from '../ui/common.js';

/** The id of the datalist of existing owners the owner field suggests from (rendered once by the findings list). */
export const OWNERS_LIST = 'health-owners';

export function QuickFix({ ciKey, field, onFixed }: { ciKey: string; field: 'owner' | 'criticality'; onFixed: () => void }) {
  const [value, setValue] = useState('');
  const { busy, error, run } = useSubmit();
  const label = field === 'owner' ? `Owner of ${ciKey}` : `Criticality of ${ciKey}`;
  const save = async () => {
    const v = value.trim();
    if (!v) return;
    await run(async () => {
      await cmdb.updateCi({ key: ciKey, fields: { [field]: v } });
      onFixed();
    });
  };
  return (
    <form
      className="health-fix"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {field === 'owner' ? (
        <input
          className="input"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-label={label}
          placeholder="Owner (a team)"
          list={OWNERS_LIST}
        />
      ) : (
        <select className="input" value={value} onChange={(e) => setValue(e.target.value)} aria-label={label}>
          <option value="">Criticality…</option>
          {CRITICALITY_SCALE.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      )}
      <button type="submit" className="btn small primary" disabled={busy || value.trim() === ''}>
        {busy ? 'Saving…' : field === 'owner' ? 'Set owner' : 'Set criticality'}
      </button>
      {error != null && <ErrorBox error={error} title="Not saved" />}
    </form>
  );
}
