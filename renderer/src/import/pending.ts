/**
 * CSV files handed over by the desktop shell (dropped on the window, or File >
 * Import CSV…) arrive as `import-files` events, maybe while another screen is
 * open: they wait here, the Import screen opens and takes them.
 */
import type { ImportFilesEvent } from '../../../shared/events.js';
import { onCmdbEvent } from '../api.js';

type Files = ImportFilesEvent['files'];
let pending: Files | null = null;
const takers = new Set<(files: Files) => void>();

// Only the desktop shell sends these; in a browser the page's own drop zone takes files.
if (typeof window !== 'undefined' && window.cmdbEvents) {
  onCmdbEvent((e) => {
    if (e.type !== 'import-files') return;
    if (takers.size > 0) for (const t of takers) t(e.files);
    else {
      pending = e.files;
      window.location.hash = '#/import';
    }
  });
}

/** Calls `take` with files waiting now and with any that arrive later; returns the unsubscribe function. */
export function takeImportFiles(take: (files: Files) => void): () => void {
  takers.add(take);
  if (pending) {
    const p = pending;
    pending = null;
    take(p);
  }
  return () => {
    takers.delete(take);
  };
}
