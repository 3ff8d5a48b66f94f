/** The question asked before an import is undone: the same from the import's result and from the import log. */
import { ConfirmDialog } from '../ui/common.js';

/** The import to undo once confirmed: its number and the files it read. */
export type UndoTarget = { id: number; files: readonly string[] };

/**
 * Asks before undoing `target` (closed while it is null). `onUndo` shows a refusal where its screen
 * shows one (below the result, in the log's row) and resolves either way, so the dialog then closes.
 */
export function UndoImportDialog({
  target,
  onUndo,
  onClose,
}: {
  target: UndoTarget | null;
  onUndo: (id: number) => Promise<void>;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog
      open={target !== null}
      title={`Undo import #${target?.id ?? ''}?`}
      confirmLabel="Undo import"
      message={
        target && (
          <>
            Undoing import #{target.id}
            {target.files.length > 0 && <> ({target.files.join(', ')})</>} removes the CIs and relationships it created and puts back those
            it changed as they were.
          </>
        )
      }
      onClose={onClose}
      onConfirm={async () => {
        if (target) await onUndo(target.id);
      }}
    />
  );
}
