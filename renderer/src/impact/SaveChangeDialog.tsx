/**
 * Saving the analysis on screen as a change assessment: the dialog that asks
 * for its reference, title and window, and says what is missing.
 */
import { useEffect, useState } from 'react';
import { ErrorBox, Modal, useSubmit } from '../ui/common.js';
import type { ChangeDraft } from './params.js';

export function SaveChangeDialog({
  open,
  initial,
  onClose,
  onSave,
}: {
  open: boolean;
  initial: ChangeDraft;
  onClose: () => void;
  onSave: (d: ChangeDraft) => Promise<void>;
}) {
  const [d, setD] = useState(initial);
  const { busy, error, run, setError } = useSubmit();
  useEffect(() => {
    if (open) {
      setD(initial);
      setError(null);
    }
  }, [open]);
  const backwards = d.start !== '' && d.end !== '' && d.end < d.start;
  // Why Save is disabled, beside it: a greyed button alone does not say what is missing.
  const missing = !d.ref.trim() ? 'Give a reference (your change ticket) to save.' : !d.title.trim() ? 'Give a title to save.' : null;
  const bad = missing !== null || backwards;
  const submit = () =>
    run(async () => {
      await onSave(d);
      onClose();
    });
  return (
    <Modal
      open={open}
      title="Save as a change"
      onClose={onClose}
      footer={
        <>
          {missing && (
            <span className="muted small" style={{ alignSelf: 'center' }} data-testid="save-change-missing">
              {missing}
            </span>
          )}
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="save-change" className="btn primary" disabled={busy || bad}>
            {busy ? 'Saving…' : 'Save change'}
          </button>
        </>
      }
    >
      <form
        id="save-change"
        className="change-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!bad) void submit();
        }}
      >
        <label className="field">
          <span>
            Reference <b title="Required">*</b>
          </span>
          <input
            className="input mono"
            value={d.ref}
            onChange={(e) => setD({ ...d, ref: e.target.value })}
            placeholder="CHG0012345"
            required
          />
          <span className="hint">Saving again with the same reference updates that change.</span>
        </label>
        <label className="field">
          <span>
            Title <b title="Required">*</b>
          </span>
          <input className="input" value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} required />
        </label>
        <div className="grid2">
          <label className="field">
            <span>Planned start</span>
            <input className="input" type="datetime-local" value={d.start} onChange={(e) => setD({ ...d, start: e.target.value })} />
          </label>
          <label className="field">
            <span>Planned end</span>
            <input className="input" type="datetime-local" value={d.end} onChange={(e) => setD({ ...d, end: e.target.value })} />
          </label>
        </div>
        {d.savedWindow && !d.start && !d.end && (
          <p className="hint" data-testid="saved-window">
            Planned window as saved: <b>{d.savedWindow}</b>. It is kept unless you set a start or an end.{' '}
            <button type="button" className="linkbtn" onClick={() => setD({ ...d, savedWindow: null })}>
              Clear it
            </button>
          </p>
        )}
        {backwards && <span className="field-error">The planned end is before the start.</span>}
        <label className="field">
          <span>Description</span>
          <textarea className="input" rows={4} value={d.description} onChange={(e) => setD({ ...d, description: e.target.value })} />
        </label>
      </form>
      {error != null && <ErrorBox error={error} title="The change was not saved" />}
    </Modal>
  );
}
