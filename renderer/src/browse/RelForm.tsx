/** Add a relationship from or to a CI: type from the registry, the other CI found by search and named by its key or name. */
import { useEffect, useState } from 'react';
import { isolated } from '../../../shared/bidi.js';
import type { ResolvedCi } from '../../../shared/api.js';
import type { Ci } from '../../../shared/domain.js';
import { ApiError, asApiError, cmdb } from '../api.js';
import { ErrorBox, Modal, useAsync, useDebounced, useSubmit } from '../ui/common.js';

/** What a typed ref names (the engine's resolveCis): one CI, or why none (no CI has it, or several share the name). */
type Found = { ref: string; ci: ResolvedCi; error?: undefined } | { ref: string; ci?: undefined; error: ApiError };

async function resolveOne(ref: string): Promise<ResolvedCi> {
  return (await cmdb.resolveCis({ refs: [ref] })).cis[0]!;
}

/** The engine's refusals here say what to do (a group's remedy, close matches): no generic step after them. */
const ownNext = (code: string) => (code === 'INVALID_REQUEST' || code === 'NOT_FOUND' || code === 'AMBIGUOUS' ? null : undefined);

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
  const [found] = useAsync(async (): Promise<Found | null> => {
    if (!q) return null;
    try {
      return { ref: q, ci: await resolveOne(q) };
    } catch (err) {
      return { ref: q, error: asApiError(err) };
    }
  }, [q]);
  // What the text in the field names now (an answer for earlier text is not shown).
  const named = found.data && found.data.ref === other.trim() ? found.data : null;
  const otherLabel = named?.ci?.name ?? (other.trim() || 'other');

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
    const ref = other.trim();
    if (!ref)
      return setError(new ApiError('INVALID_REQUEST', 'Choose the CI at the other end: type its name or key, or pick it from the list.'));
    const min = minUp.trim() ? Number(minUp) : null;
    if (min !== null && (!Number.isInteger(min) || min < 1))
      return setError(new ApiError('INVALID_REQUEST', 'Minimum up must be a whole number of 1 or more.'));
    await run(async () => {
      // Named by key or by name: the key of the one CI it names, or the engine's refusal (none, or several with that name).
      const otherKey = (await resolveOne(ref)).key;
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
          <button type="submit" form="rel-form" className="btn primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add relationship'}
          </button>
        </>
      }
    >
      <form
        id="rel-form"
        style={{ display: 'grid', gap: 10 }}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="grid2">
          <label className="field">
            <span>Direction</span>
            <select className="input" value={dir} onChange={(e) => setDir(e.target.value as 'out' | 'in')} aria-label="Direction">
              <option value="out">{isolated(ci.name)} → other CI</option>
              <option value="in">other CI → {isolated(ci.name)}</option>
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
          <span>Other CI (name or key)</span>
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
                {isolated(m.name)} ({m.type})
              </option>
            ))}
          </datalist>
          {named?.ci && (
            <span className="hint" data-testid="rel-other-found">
              Found by {named.ci.matchedBy}: <bdi>{named.ci.name}</bdi> · <bdi className="mono">{named.ci.key}</bdi> ({named.ci.type})
            </span>
          )}
          {named?.error && (
            <span className="hint" data-testid="rel-other-found">
              {named.error.message}
            </span>
          )}
          <span className="hint">
            Reads:{' '}
            <strong>
              <bdi>{dir === 'out' ? ci.name : otherLabel}</bdi>
            </strong>{' '}
            {rt?.label ?? type}{' '}
            <strong>
              <bdi>{dir === 'out' ? otherLabel : ci.name}</bdi>
            </strong>
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
      </form>
      {error != null && <ErrorBox error={error} title="Not added" next={ownNext} />}
    </Modal>
  );
}
