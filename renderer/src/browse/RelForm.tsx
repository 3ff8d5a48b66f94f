/** Add a relationship from or to a CI: type from the registry, the other CI found by search. */
import { useEffect, useState } from 'react';
import type { Ci } from '../../../shared/domain.js';
import { ApiError, cmdb } from '../api.js';
import { ErrorBox, Modal, useAsync, useDebounced, useSubmit } from '../ui/common.js';

export function RelForm({ open, ci, onClose, onSaved }: { open: boolean; ci: Ci; onClose: () => void; onSaved: () => void }) {
  const [types] = useAsync(() => cmdb.getTypes({}), [open]);
  const [dir, setDir] = useState<'out' | 'in'>('out');
  const [type, setType] = useState('depends_on');
  const [other, setOther] = useState('');
  const [group, setGroup] = useState('');
  const [minUp, setMinUp] = useState('');
  const { busy, error, run, setError } = useSubmit();
  const [matches, setMatches] = useState<Ci[]>([]);
  const q = useDebounced(other.trim(), 150);

  useEffect(() => {
    if (open) {
      setError(null);
      setOther('');
      setGroup('');
      setMinUp('');
    }
  }, [open]);
  useEffect(() => {
    if (!q) return setMatches([]);
    let live = true;
    cmdb.listCis({ query: q, limit: 10, offset: 0 }).then(
      (r) => live && setMatches(r.items.filter((c) => c.key !== ci.key)),
      () => live && setMatches([]),
    );
    return () => {
      live = false;
    };
  }, [q, ci.key]);

  const rt = types.data?.relTypes.find((t) => t.name === type);
  const save = async () => {
    const otherKey = other.trim();
    if (!otherKey)
      return setError(new ApiError('INVALID_REQUEST', 'Choose the CI at the other end: type part of its name and pick it from the list.'));
    const min = minUp.trim() ? Number(minUp) : null;
    if (min !== null && (!Number.isInteger(min) || min < 1))
      return setError(new ApiError('INVALID_REQUEST', 'Minimum up must be a whole number of 1 or more.'));
    await run(async () => {
      await cmdb.createRelationship({
        source: dir === 'out' ? ci.key : otherKey,
        target: dir === 'out' ? otherKey : ci.key,
        type,
        redundancyGroup: group.trim() || null,
        minUp: min,
      });
      onSaved();
    });
  };

  return (
    <Modal
      open={open}
      title={`Add a relationship to ${ci.name}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={save} disabled={busy}>
            {busy ? 'Adding…' : 'Add relationship'}
          </button>
        </>
      }
    >
      <div className="grid2">
        <label className="field">
          <span>Direction</span>
          <select className="input" value={dir} onChange={(e) => setDir(e.target.value as 'out' | 'in')} aria-label="Direction">
            <option value="out">{ci.name} → other CI</option>
            <option value="in">other CI → {ci.name}</option>
          </select>
        </label>
        <label className="field">
          <span>Type</span>
          <select className="input" value={type} onChange={(e) => setType(e.target.value)} aria-label="Relationship type">
            {(types.data?.relTypes ?? [{ name: 'depends_on', label: 'depends on' }]).map((t) => (
              <option key={t.name} value={t.name}>
                {t.label} ({t.name})
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>Other CI (key)</span>
        <input
          className="input mono"
          value={other}
          onChange={(e) => setOther(e.target.value)}
          list="rel-other"
          aria-label="Other CI"
          placeholder="Type a name or key"
          autoFocus
        />
        <datalist id="rel-other">
          {matches.map((m) => (
            <option key={m.key} value={m.key}>
              {m.name} ({m.type})
            </option>
          ))}
        </datalist>
        <span className="hint">
          Reads: <strong>{dir === 'out' ? ci.name : other || 'other'}</strong> {rt?.label ?? type}{' '}
          <strong>{dir === 'out' ? other || 'other' : ci.name}</strong>
        </span>
      </label>
      <div className="grid2">
        <label className="field">
          <span>Redundancy group</span>
          <input
            className="input"
            value={group}
            onChange={(e) => setGroup(e.target.value)}
            aria-label="Redundancy group"
            placeholder="optional"
          />
        </label>
        <label className="field">
          <span>Minimum up</span>
          <input
            className="input"
            value={minUp}
            onChange={(e) => setMinUp(e.target.value)}
            aria-label="Minimum up"
            inputMode="numeric"
            placeholder="1"
          />
        </label>
      </div>
      {error != null && <ErrorBox error={error} title="Not added" />}
    </Modal>
  );
}
