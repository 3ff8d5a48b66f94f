/** Where CSV files come into the wizard: dropped on the card or chosen with the file dialog. */
import { useRef, useState } from 'react';
import { CSV_EXTENSIONS } from '../../../shared/file-name.js';
import { uploadCsv } from '../api.js';
import type { FileSource } from './useImportWizard.js';

const sources = (files: File[]): FileSource[] => files.map((f) => ({ name: f.name, load: () => uploadCsv(f) }));

/** The drop zone with its “Choose files…” button. */
export function DropZone({ onFiles }: { onFiles: (files: FileSource[]) => void }) {
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <section
      className={`card dropzone${dragging ? ' over' : ''}`}
      aria-label="Choose CSV files"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        onFiles(sources([...e.dataTransfer.files]));
      }}
    >
      <div>
        <strong>Drop CSV files here</strong> — a CIs file, a relationships file, or both — or{' '}
        <button type="button" className="btn small" onClick={() => inputRef.current?.click()}>
          Choose files…
        </button>
        <input
          ref={inputRef}
          type="file"
          multiple
          accept={`${CSV_EXTENSIONS.map((e) => `.${e}`).join(',')},text/csv`}
          hidden
          aria-label="CSV files"
          onChange={(e) => {
            const fs = [...(e.target.files ?? [])];
            e.target.value = '';
            onFiles(sources(fs));
          }}
        />
      </div>
      <span className="muted small">Files go to the CMDB's importer to be read; nothing is imported until you run the import.</span>
    </section>
  );
}
