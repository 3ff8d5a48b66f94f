/** The graph's saved views: save the current view under a name (with a note), reopen or delete one from the list; stored in the CMDB. */
import { useRef, useState } from 'react';
import type { GraphViewSpec, SavedView } from '../../../shared/graph.js';
import { cmdb } from '../api.js';
import { ErrorBox, useAsync, useSubmit } from '../ui/common.js';
import { tellOtherTabs } from '../ui/ElsewhereNotice.js';
import { Menu, type MenuHandle } from '../ui/Menu.js';

function SaveForm({ spec, onSaved }: { spec: GraphViewSpec | null; onSaved: () => void }) {
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [replace, setReplace] = useState(false);
  const { busy, error, run } = useSubmit();
  const save = async () => {
    if (!spec || !name.trim()) return;
    await run(async () => {
      await cmdb.saveView({ name: name.trim(), note: note.trim() || null, spec, replace });
      tellOtherTabs();
      setName('');
      setNote('');
      setReplace(false);
      onSaved();
    });
  };
  return (
    <form
      className="save-view"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input
        className="input"
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="Name"
        aria-label="View name"
        maxLength={200}
      />
      <textarea
        className="input"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder="Note (optional)"
        aria-label="View note"
        rows={2}
      />
      <label className="inline">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace a view of that name
      </label>
      <button type="submit" className="btn small primary" disabled={!spec || !name.trim() || busy}>
        Save current view
      </button>
      {error !== null && <ErrorBox error={error} title="The view was not saved" />}
    </form>
  );
}

function ViewRow({ view, onOpen, onDeleted }: { view: SavedView; onOpen: (v: SavedView) => void; onDeleted: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const s = view.spec;
  const summary = `${s.center} · ${s.direction} · depth ${s.depth}${s.grouping ? ` · by ${s.grouping.by}` : ''}`;
  return (
    <li className="view-row">
      <button
        type="button"
        className="btn ghost small view-open"
        title={`${view.name}${view.note ? `\n${view.note}` : ''}\n${summary}`}
        onClick={() => onOpen(view)}
        aria-label={`Open view ${view.name}`}
      >
        <span className="truncate">{view.name}</span>
        <span className="muted truncate">{summary}</span>
      </button>
      <button
        type="button"
        className="btn ghost small icon"
        aria-label={`Delete view ${view.name}`}
        title="Delete this view"
        onClick={() =>
          cmdb.deleteView({ name: view.name }).then(() => {
            tellOtherTabs();
            onDeleted();
          }, setError)
        }
      >
        ×
      </button>
      {error !== null && <ErrorBox error={error} title="The view was not deleted" />}
    </li>
  );
}

/** `spec` is the current view (null when nothing is drawn); `onOpen` reopens a saved one. */
export function SavedViews({ spec, version, onOpen }: { spec: GraphViewSpec | null; version: number; onOpen: (v: SavedView) => void }) {
  const [views, reload] = useAsync(() => cmdb.listViews({}), [version]);
  const list = views.data?.views ?? [];
  const menu = useRef<MenuHandle>(null);
  const open = (v: SavedView) => {
    menu.current?.close();
    onOpen(v);
  };
  return (
    <Menu
      ref={menu}
      className="views-menu"
      summaryClassName="btn small"
      label="Saved views"
      groupLabel="Save or open a view"
      summary={`Views${list.length ? ` (${list.length})` : ''} ▾`}
    >
      <SaveForm spec={spec} onSaved={reload} />
      {views.status === 'error' && <ErrorBox error={views.error} title="Saved views could not be read" />}
      {list.length === 0 && views.status === 'ok' && <p className="muted">No saved views yet.</p>}
      {list.length > 0 && (
        <ul className="view-list" aria-label="Saved view list">
          {list.map((v) => (
            <ViewRow key={v.name} view={v} onOpen={open} onDeleted={reload} />
          ))}
        </ul>
      )}
    </Menu>
  );
}
