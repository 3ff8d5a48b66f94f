/**
 * The graph's saved views: save the current view under a name (with a note);
 * open, rename or delete one from the list (deleting asks first); stored in
 * the CMDB. Names are checked as the engine checks them (viewNameProblem), and
 * a name that is taken offers to replace that view.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { viewNameProblem, type GraphViewSpec, type SavedView } from '../../../shared/graph.js';
import { asApiError, cmdb } from '../api.js';
import { ErrorBox, useAsync, useSubmit } from '../ui/common.js';
import { tellOtherTabs } from '../ui/ElsewhereNotice.js';
import { Menu, type MenuHandle } from '../ui/Menu.js';

/** The longest note the engine keeps. */
const NOTE_MAX = 2000;

/** Escape leaves an inline form without closing the whole menu (the menu closes on an Escape that reaches the document). */
function onEscape(cancel: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    cancel();
  };
}

function SaveForm({ spec, onSaved }: { spec: GraphViewSpec | null; onSaved: () => void }) {
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  /** What is wrong with the typed name, before asking the engine. */
  const [problem, setProblem] = useState<string | null>(null);
  /** The name of an existing view the save would overwrite: offered as a replace. */
  const [taken, setTaken] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const save = async (replace: boolean) => {
    if (!spec) return;
    const wrong = viewNameProblem(name);
    setProblem(wrong);
    setTaken(null);
    if (wrong) return;
    const trimmed = name.trim();
    await run(async () => {
      try {
        await cmdb.saveView({ name: trimmed, note: note.trim() || null, spec, replace });
      } catch (err) {
        if (asApiError(err).code !== 'CONFLICT') throw err;
        setTaken(trimmed);
        return;
      }
      tellOtherTabs();
      setName('');
      setNote('');
      onSaved();
    });
  };
  return (
    <form
      className="save-view"
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <input
        className="input"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setProblem(null);
          setTaken(null);
        }}
        placeholder="Name"
        aria-label="View name"
        aria-invalid={problem !== null || taken !== null}
      />
      <textarea
        className="input"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder="Note (optional)"
        aria-label="View note"
        rows={2}
        maxLength={NOTE_MAX}
      />
      <button type="submit" className="btn small primary" disabled={!spec || busy}>
        Save current view
      </button>
      {!spec && <p className="muted view-msg">Choose a CI to draw, then save the view.</p>}
      {problem !== null && (
        <p className="view-msg bad" role="alert">
          {problem}
        </p>
      )}
      {taken !== null && (
        <div className="view-msg notice" role="alert">
          <span>A saved view is already named “{taken}”. Replace it with this view, or type another name.</span>
          <button type="button" className="btn small danger" disabled={busy} onClick={() => void save(true)}>
            Replace “{taken}”
          </button>
        </div>
      )}
      {error !== null && <ErrorBox error={error} title="The view was not saved" />}
    </form>
  );
}

/** A rename's refusal in plain words, or null for an error only the error box can tell. */
function renameRefusal(err: unknown, from: string, to: string): string | null {
  switch (asApiError(err).code) {
    case 'CONFLICT':
      return `A saved view is already named “${to}”. Choose another name.`;
    case 'NOT_FOUND':
      return `“${from}” is no longer saved: it was deleted or renamed elsewhere.`;
    case 'INVALID_REQUEST':
      return asApiError(err).message;
    default:
      return null;
  }
}

function RenameForm({ view, onDone, onRenamed }: { view: SavedView; onDone: () => void; onRenamed: () => void }) {
  const [name, setName] = useState(view.name);
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run, setError } = useSubmit();
  const rename = async () => {
    const wrong = viewNameProblem(name);
    setProblem(wrong);
    if (wrong) return;
    await run(async () => {
      try {
        await cmdb.renameView({ name: view.name, newName: name.trim() });
      } catch (err) {
        const plain = renameRefusal(err, view.name, name.trim());
        if (plain === null) throw err;
        setProblem(plain);
        if (asApiError(err).code === 'NOT_FOUND') onRenamed();
        return;
      }
      tellOtherTabs();
      onDone();
      onRenamed();
    });
  };
  return (
    <form
      className="view-rename"
      onSubmit={(e) => {
        e.preventDefault();
        void rename();
      }}
      onKeyDown={onEscape(onDone)}
    >
      <input
        className="input"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setProblem(null);
          setError(null);
        }}
        aria-label={`New name for view ${view.name}`}
        aria-invalid={problem !== null}
        // The form appears because the person asked to rename: the name is what they came to type.
        autoFocus
      />
      <button type="submit" className="btn small primary" disabled={busy}>
        Rename
      </button>
      <button type="button" className="btn small" onClick={onDone}>
        Cancel
      </button>
      {problem !== null && (
        <p className="view-msg bad" role="alert">
          {problem}
        </p>
      )}
      {error !== null && <ErrorBox error={error} title="The view was not renamed" />}
    </form>
  );
}

function DeleteConfirm({ view, onDone, onDeleted }: { view: SavedView; onDone: () => void; onDeleted: () => void }) {
  const { busy, error, run } = useSubmit();
  return (
    <div className="view-confirm" role="group" aria-label={`Delete view ${view.name}?`} onKeyDown={onEscape(onDone)}>
      <span>
        Delete the saved view “<strong>{view.name}</strong>”? This cannot be undone.
      </span>
      <div className="view-actions">
        <button
          type="button"
          className="btn small danger solid"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await cmdb.deleteView({ name: view.name });
              tellOtherTabs();
              onDeleted();
            })
          }
        >
          {busy ? 'Deleting…' : 'Delete'}
        </button>
        {/* The safe choice has the focus, so Enter right after the × keeps the view. */}
        <button type="button" className="btn small" onClick={onDone} disabled={busy} autoFocus>
          Keep
        </button>
      </div>
      {error !== null && <ErrorBox error={error} title="The view was not deleted" />}
    </div>
  );
}

function ViewRow({ view, onOpen, onChanged }: { view: SavedView; onOpen: (v: SavedView) => void; onChanged: () => void }) {
  const [mode, setMode] = useState<'list' | 'rename' | 'delete'>('list');
  /** Said when the view cannot be opened: its centre is gone. */
  const [gone, setGone] = useState(false);
  const s = view.spec;
  const summary = `${s.center}${view.centerExists ? '' : ' (deleted)'} · ${s.direction} · depth ${s.depth}${s.grouping ? ` · by ${s.grouping.by}` : ''}`;
  const idle = () => setMode('list');
  return (
    <li className={view.centerExists ? 'view-row' : 'view-row center-gone'}>
      <div className="view-line">
        <button
          type="button"
          className="btn ghost small view-open"
          title={`${view.name}${view.note ? `\n${view.note}` : ''}\n${summary}`}
          onClick={() => (view.centerExists ? onOpen(view) : setGone(true))}
          aria-label={`Open view ${view.name}`}
        >
          <span className="truncate">{view.name}</span>
          <span className="muted truncate">{summary}</span>
        </button>
        <button
          type="button"
          className="btn ghost small icon"
          aria-label={`Rename view ${view.name}`}
          title="Rename this view"
          aria-pressed={mode === 'rename'}
          onClick={() => setMode(mode === 'rename' ? 'list' : 'rename')}
        >
          ✎
        </button>
        <button
          type="button"
          className="btn ghost small icon"
          aria-label={`Delete view ${view.name}`}
          title="Delete this view"
          aria-pressed={mode === 'delete'}
          onClick={() => setMode(mode === 'delete' ? 'list' : 'delete')}
        >
          ×
        </button>
      </div>
      {gone && (
        <p className="view-msg notice" role="alert">
          “{view.name}” is centred on {s.center}, which is no longer in the CMDB (deleted since the view was saved), so it cannot be drawn.
          Delete the view, or draw another CI and save the view again under this name.
        </p>
      )}
      {mode === 'rename' && <RenameForm view={view} onDone={idle} onRenamed={onChanged} />}
      {mode === 'delete' && <DeleteConfirm view={view} onDone={idle} onDeleted={onChanged} />}
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
      {views.status === 'error' && <ErrorBox error={views.error} title="Saved views could not be read" onRetry={reload} />}
      {list.length === 0 && views.status === 'ok' && <p className="muted">No saved views yet.</p>}
      {list.length > 0 && (
        <ul className="view-list" aria-label="Saved view list">
          {list.map((v) => (
            <ViewRow key={v.name} view={v} onOpen={open} onChanged={reload} />
          ))}
        </ul>
      )}
    </Menu>
  );
}
