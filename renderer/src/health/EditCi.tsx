/** The Browse screen's edit form for one CI of a finding, read first by key; saved like any edit. */
import { cmdb } from '../api.js';
import { CiForm } from '../browse/CiForm.js';
import { ErrorBox, Modal, Skeleton, useAsync } from '../ui/common.js';

export function EditCi({ ciKey, onClose, onSaved }: { ciKey: string; onClose: () => void; onSaved: () => void }) {
  const [ci, reload] = useAsync(() => cmdb.getCi({ key: ciKey, relLimit: 0, historyLimit: 0 }), [ciKey]);
  if (ci.data) return <CiForm open ci={ci.data.ci} onClose={onClose} onSaved={onSaved} />;
  const close = (
    <button type="button" className="btn" onClick={onClose}>
      Close
    </button>
  );
  return (
    <Modal open title={`Edit ${ciKey}`} onClose={onClose} footer={close}>
      {ci.status === 'error' ? (
        <ErrorBox error={ci.error} title={`“${ciKey}” could not be read`} onRetry={reload} />
      ) : (
        <Skeleton rows={5} label="Reading the CI" />
      )}
    </Modal>
  );
}
