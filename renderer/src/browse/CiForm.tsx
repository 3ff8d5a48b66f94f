/** Create or edit a CI: every field the contract lets a person change, attributes as `name = value` lines. */
import { useEffect, useState } from 'react';
import type { Ci } from '../../../shared/domain.js';
import { ApiError, cmdb } from '../api.js';
import { ErrorBox, Modal, useAsync, useSubmit } from '../ui/common.js';
import { CRITICALITY_SCALE, STATUS_SCALE } from '../../../shared/vocab.js';
import { attrsToText, parseAttributes } from './attributesText.js';

const FIELDS = ['status', 'environment', 'owner', 'criticality'] as const;
/** The fields with a scale: the form suggests its values (the engine also reads words such as "Tier 1" or "Active"). */
const SCALES: Partial<Record<(typeof FIELDS)[number], readonly string[]>> = { status: STATUS_SCALE, criticality: CRITICALITY_SCALE };

export function CiForm({ open, ci, onClose, onSaved }: { open: boolean; ci?: Ci; onClose: () => void; onSaved: (ci: Ci) => void }) {
  const [types] = useAsync(() => cmdb.getTypes({}), [open]);
  const [form, setForm] = useState<Record<string, string>>({});
  const { busy, error, run, setError } = useSubmit();

  useEffect(() => {
    if (!open) return;
    setError(null);
    setForm({
      key: ci?.key ?? '',
      type: ci?.type ?? '',
      name: ci?.name ?? '',
      status: ci?.status ?? '',
      environment: ci?.environment ?? '',
      owner: ci?.owner ?? '',
      criticality: ci?.criticality ?? '',
      description: ci?.description ?? '',
      attributes: ci ? attrsToText(ci.attributes) : '',
    });
  }, [open, ci]);

  const set = (k: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const v = (k: string) => form[k] ?? '';
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

  const save = async () => {
    const attrs = parseAttributes(v('attributes'));
    if (!attrs.ok) {
      setError(new ApiError('INVALID_REQUEST', `Attributes, line ${attrs.line}: write one "name = value" per line.`));
      return;
    }
    if (!v('type').trim() || !v('name').trim()) {
      setError(new ApiError('INVALID_REQUEST', 'Type and name are required.'));
      return;
    }
    const fields = {
      type: v('type').trim(),
      name: v('name').trim(),
      status: orNull(v('status')),
      environment: orNull(v('environment')),
      owner: orNull(v('owner')),
      criticality: orNull(v('criticality')),
      description: orNull(v('description')),
      attributes: attrs.value,
    };
    await run(async () =>
      onSaved(
        ci
          ? // As the form read it: saved over a change made since (another window, the CLI), it would undo that change.
            await cmdb.updateCi({ key: ci.key, fields, since: ci.updatedAt })
          : await cmdb.createCi({ key: orNull(v('key')) ?? undefined, fields }),
      ),
    );
  };

  return (
    <Modal
      open={open}
      title={ci ? `Edit ${ci.name}` : 'New CI'}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={save} disabled={busy}>
            {busy ? 'Saving…' : ci ? 'Save changes' : 'Create CI'}
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        style={{ display: 'grid', gap: 10 }}
      >
        <div className="grid2">
          <label className="field">
            <span>Name *</span>
            <input className="input" value={v('name')} onChange={set('name')} aria-label="Name" required autoFocus />
          </label>
          <label className="field">
            <span>Type *</span>
            <input className="input" value={v('type')} onChange={set('type')} aria-label="Type" list="ci-types" required />
            <datalist id="ci-types">
              {types.data?.ciTypes.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.label}
                </option>
              ))}
            </datalist>
          </label>
        </div>
        {!ci && (
          <label className="field">
            <span>Key</span>
            <input className="input mono" value={v('key')} onChange={set('key')} aria-label="Key" placeholder="type:name when left empty" />
          </label>
        )}
        <div className="grid2">
          {FIELDS.map((f) => (
            <label className="field" key={f}>
              <span>{f.charAt(0).toUpperCase() + f.slice(1)}</span>
              <input
                className="input"
                value={v(f)}
                onChange={set(f)}
                aria-label={f.charAt(0).toUpperCase() + f.slice(1)}
                list={SCALES[f] ? `ci-${f}-scale` : undefined}
              />
              {SCALES[f] && (
                <datalist id={`ci-${f}-scale`}>
                  {SCALES[f].map((s) => (
                    <option key={s} value={s} />
                  ))}
                </datalist>
              )}
            </label>
          ))}
        </div>
        <label className="field">
          <span>Description</span>
          <textarea className="input" rows={2} value={v('description')} onChange={set('description')} aria-label="Description" />
        </label>
        <label className="field">
          <span>Attributes</span>
          <textarea
            className="input mono"
            rows={3}
            value={v('attributes')}
            onChange={set('attributes')}
            aria-label="Attributes"
            placeholder="ip = 10.0.0.12"
          />
          <span className="hint">One “name = value” per line.</span>
        </label>
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </form>
      {error != null && <ErrorBox error={error} title={ci ? 'Not saved' : 'Not created'} />}
    </Modal>
  );
}
