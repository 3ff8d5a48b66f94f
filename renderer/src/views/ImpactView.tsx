/**
 * Impact: choose the changed CIs, see what goes down or is degraded (graph,
 * table, explanation paths, a summary strip), save the analysis as a change,
 * reopen saved changes (with what differs now) and export their report.
 */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { RelType, Stats } from '../../../shared/domain.js';
import type { ChangeDetail, ChangeSummary, ImpactDirection, ImpactResult } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { EmptyState, ErrorBox, formatCount, Skeleton, TypeDot, useAsync } from '../ui/common.js';
import { onChangeSet, readChangeSet, writeChangeSet } from '../impact/changeSet.js';
import { CiPicker } from '../impact/CiPicker.js';
import { DiffBanner, ExportButtons, SavedChanges, SaveChangeDialog, type ChangeDraft } from '../impact/Changes.js';
import { formatWindow, parseWindow } from '../impact/window.js';
import { IMPACT_COLOURS, impactSubgraph } from '../impact/model.js';
import { PathSteps } from '../impact/PathSteps.js';
import { ResultsTable } from '../impact/ResultsTable.js';
import { Summary } from '../impact/Summary.js';

const ImpactGraph = lazy(() => import('../impact/ImpactGraph.js'));

/** Most CIs drawn on the graph; the table lists them all. */
const GRAPH_CAP = 80;
/** Most impacted CIs fetched for the table (counts always cover all). */
const LIST_LIMIT = 5000;

interface Params {
  keys: string[];
  direction: ImpactDirection;
  /** null = every type that propagates (the engine's default). */
  types: string[] | null;
  depth: number | null;
}

const paramsKey = (p: Params) => JSON.stringify([[...p.keys].sort(), p.direction, p.types ? [...p.types].sort() : null, p.depth]);

function openInBrowse(key: string): void {
  window.location.hash = `#/browse?ci=${encodeURIComponent(key)}`;
}

export function ImpactView({ stats, selected, onGraph }: { stats: Stats; selected: string | null; onGraph: (key: string) => void }) {
  const [keys, setKeysState] = useState<string[]>(() => {
    const stored = readChangeSet();
    return stored.length === 0 && selected ? [selected] : stored;
  });
  const setKeys = (k: string[]) => {
    setKeysState(k);
    writeChangeSet(k);
  };
  useEffect(() => onChangeSet(() => setKeysState(readChangeSet())), []);
  const [names, setNames] = useState<Map<string, { name: string; type: string }>>(new Map());
  const [direction, setDirection] = useState<ImpactDirection>('downstream');
  const [types, setTypes] = useState<string[] | null>(null);
  const [depth, setDepth] = useState<number | null>(null);
  const params: Params = { keys, direction, types, depth };
  const pkey = paramsKey(params);

  const [typesReg] = useAsync(() => cmdb.getTypes({}), []);
  const relTypes = useMemo(() => new Map<string, RelType>((typesReg.data?.relTypes ?? []).map((t) => [t.name, t])), [typesReg.data]);
  const propagating = useMemo(
    () => (typesReg.data?.relTypes ?? []).filter((t) => t.strength !== 'none').map((t) => t.name),
    [typesReg.data],
  );

  const [result, setResult] = useState<{ key: string; value: ImpactResult } | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [open, setOpen] = useState<{ summary: ChangeSummary; detail: ChangeDetail | null; key: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [listVersion, setListVersion] = useState(0);

  // Names for chosen CIs that came from elsewhere (Add to change, a reopened change).
  useEffect(() => {
    const missing = keys.filter((k) => !names.has(k));
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(
      missing.map((k) =>
        cmdb.getCi({ key: k }).then(
          (d) => [k, { name: d.ci.name, type: d.ci.type }] as const,
          () => null,
        ),
      ),
    ).then((found) => {
      if (!live) return;
      setNames((m) => {
        const n = new Map(m);
        for (const f of found) if (f) n.set(f[0], f[1]);
        return n;
      });
    });
    return () => {
      live = false;
    };
  }, [keys.join('\n')]);

  // The analysis follows the choices: it runs again whenever they change.
  useEffect(() => {
    if (keys.length === 0) {
      setResult(null);
      return;
    }
    if (result?.key === pkey) return;
    let live = true;
    setRunning(true);
    setError(null);
    cmdb
      .impact({ keys, direction, types: types ?? undefined, depth: depth ?? undefined, limit: LIST_LIMIT })
      .then(
        (value) => {
          if (!live) return;
          setResult({ key: pkey, value });
          setPicked(null);
        },
        (err: unknown) => live && setError(err),
      )
      .finally(() => live && setRunning(false));
    return () => {
      live = false;
    };
  }, [pkey]);

  const r = result?.value ?? null;
  const byKey = useMemo(() => new Map((r?.impacted ?? []).map((c) => [c.key, c])), [r]);
  const graph = useMemo(() => (r ? impactSubgraph(r, GRAPH_CAP, picked) : null), [r, picked]);
  const pickedCi = picked ? (byKey.get(picked) ?? null) : null;

  const reopen = async (c: ChangeSummary) => {
    setError(null);
    try {
      const detail = await cmdb.getChange({ id: c.id, limit: LIST_LIMIT });
      const p: Params = { keys: detail.change.keys, direction: 'downstream', types: detail.change.types, depth: detail.change.depth };
      const k = paramsKey(p);
      setKeys(p.keys);
      setDirection('downstream');
      setTypes(p.types);
      setDepth(p.depth);
      setResult({ key: k, value: detail.current });
      setPicked(null);
      setOpen({ summary: detail.change, detail, key: k });
    } catch (err) {
      setError(err);
    }
  };

  const draft: ChangeDraft = open
    ? { ref: open.summary.ref, title: open.summary.title, ...parseWindow(open.summary.window), description: open.summary.description ?? '' }
    : {
        ref: '',
        title: r ? `Outage of ${r.changed.map((c) => c.name).join(', ')}`.slice(0, 200) : '',
        start: '',
        end: '',
        description: '',
      };

  const save = async (d: ChangeDraft) => {
    const res = await cmdb.saveChange({
      ref: d.ref.trim(),
      title: d.title.trim(),
      window: formatWindow(d.start, d.end),
      description: d.description.trim() || null,
      keys,
      types: types ?? undefined,
      depth: depth ?? undefined,
    });
    setResult({ key: pkey, value: res.result });
    setOpen({ summary: res.change, detail: null, key: pkey });
    setListVersion((v) => v + 1);
  };

  const typeChoice = types ?? propagating;
  const toggleType = (t: string) => {
    const next = typeChoice.includes(t) ? typeChoice.filter((x) => x !== t) : [...typeChoice, t];
    const same = next.length === propagating.length && propagating.every((x) => next.includes(x));
    setTypes(same ? null : next);
  };

  return (
    <div className="impact">
      <aside className="impact-side" aria-label="Change">
        <section className="card">
          <h2>Changed CIs</h2>
          <CiPicker
            exclude={keys}
            onPick={(ci) => {
              setNames((m) => new Map(m).set(ci.key, { name: ci.name, type: ci.type }));
              setKeys([...keys, ci.key]);
            }}
          />
          {keys.length === 0 ? (
            <p className="muted small">
              Search above, or use “Add to change” on a CI in Browse or the Graph. {formatCount(stats.cis)} CIs to choose from.
            </p>
          ) : (
            <ul className="changed-list" aria-label="Changed CIs">
              {keys.map((k) => {
                const n = names.get(k);
                return (
                  <li key={k}>
                    <TypeDot type={n?.type ?? ''} />
                    <span className="nm" title={k}>
                      {n?.name ?? k}
                      <span className="mono muted">{k}</span>
                    </span>
                    <button
                      type="button"
                      className="btn ghost icon small"
                      aria-label={`Remove ${k}`}
                      onClick={() => setKeys(keys.filter((x) => x !== k))}
                    >
                      ✕
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <div className="opts">
            <div className="seg" role="group" aria-label="Direction">
              <button
                type="button"
                aria-pressed={direction === 'downstream'}
                onClick={() => setDirection('downstream')}
                title="What goes down if these CIs go down"
              >
                What breaks
              </button>
              <button
                type="button"
                aria-pressed={direction === 'upstream'}
                onClick={() => setDirection('upstream')}
                title="What these CIs need to run"
              >
                What they need
              </button>
            </div>
            <label className="inline">
              Depth
              <select
                className="input"
                value={depth ?? ''}
                onChange={(e) => setDepth(e.target.value === '' ? null : Number(e.target.value))}
                aria-label="Depth"
              >
                <option value="">Any</option>
                {[1, 2, 3, 4, 5, 6, 8, 10].map((d) => (
                  <option key={d} value={d}>
                    {d} hop{d > 1 ? 's' : ''}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <details className="dropdown reltypes">
            <summary>Relationship types: {types ? `${types.length} of ${relTypes.size}` : 'all that carry impact'}</summary>
            <div className="menu">
              {[...relTypes.values()].map((t) => (
                <label key={t.name}>
                  <input type="checkbox" checked={typeChoice.includes(t.name)} onChange={() => toggleType(t.name)} />
                  <span className="mono">{t.name}</span>
                  <span className="muted">{t.strength}</span>
                </label>
              ))}
            </div>
          </details>
          <div className="actions">
            <button
              type="button"
              className="btn primary"
              disabled={!r || running || direction !== 'downstream'}
              onClick={() => setSaving(true)}
              title={direction !== 'downstream' ? 'A change is assessed downstream (what breaks)' : undefined}
            >
              {open ? `Save ${open.summary.ref}…` : 'Save as change…'}
            </button>
            {keys.length > 0 && (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setKeys([]);
                  setOpen(null);
                }}
              >
                Clear
              </button>
            )}
          </div>
        </section>
        <SavedChanges
          version={listVersion}
          openId={open?.summary.id ?? null}
          onOpen={(c) => void reopen(c)}
          onDeleted={(id) => open?.summary.id === id && setOpen(null)}
        />
      </aside>
      <div className="impact-main">
        {open && (
          <header className="change-head" aria-label="Open change">
            <div>
              <span className="mono ref">{open.summary.ref}</span> <strong>{open.summary.title}</strong>
              {open.summary.window && <span className="muted"> · window {open.summary.window}</span>}
            </div>
            <ExportButtons change={open.summary} />
          </header>
        )}
        {open?.detail && open.key === pkey && <DiffBanner detail={open.detail} onOpen={setPicked} />}
        {error != null && <ErrorBox error={error} title="The impact could not be assessed" />}
        {!r ? (
          running ? (
            <Skeleton rows={8} label="Assessing the impact" />
          ) : (
            <EmptyState icon="⚡" title="Which CIs does the change take down?">
              Add the CIs the change touches (a server being patched, a database failing over, a load balancer pair being upgraded). The
              impact shows what goes down, what runs degraded on its redundancy, the business services hit and who to notify.
            </EmptyState>
          )
        ) : (
          <>
            <Summary result={r} onOpen={setPicked} />
            <div className="impact-split">
              <div className="canvas-wrap impact-canvas">
                {running && <div className="loading-bar" />}
                <Suspense fallback={<Skeleton rows={6} label="Loading the graph" />}>
                  {graph && (
                    <ImpactGraph
                      graph={graph}
                      path={pickedCi ? pickedCi.path.map((s) => s.key) : null}
                      selected={picked}
                      onSelect={setPicked}
                    />
                  )}
                </Suspense>
                <div className="overlay bl legend" aria-label="Impact legend">
                  <div className="row">
                    <span className="swatch changed" style={{ background: IMPACT_COLOURS.down, borderColor: IMPACT_COLOURS.changed }} />{' '}
                    Changed (planned outage)
                  </div>
                  <div className="row">
                    <span className="swatch" style={{ background: IMPACT_COLOURS.down, borderColor: IMPACT_COLOURS.downBorder }} /> Down
                  </div>
                  <div className="row">
                    <span
                      className="swatch degraded"
                      style={{ background: IMPACT_COLOURS.degraded, borderColor: IMPACT_COLOURS.degradedBorder }}
                    />{' '}
                    Degraded (runs, at risk)
                  </div>
                </div>
                {graph && (
                  <div className="overlay tl">
                    <span className="badge" data-testid="impact-graph-note">
                      {graph.omitted > 0
                        ? `Graph shows the paths to ${formatCount(graph.shown)} of ${formatCount(r.impacted.length)} impacted CIs (the most severe); the table lists them all.`
                        : `Paths to all ${formatCount(r.impacted.length)} impacted CIs.`}
                      {r.truncated && ` ${formatCount(r.counts.total - r.impacted.length)} more are counted but not listed.`}
                    </span>
                  </div>
                )}
                {r.changed.length > 0 && (
                  <div className="overlay br">
                    <button type="button" className="btn small" onClick={() => onGraph(picked ?? r.changed[0]!.key)}>
                      Open in Graph
                    </button>
                  </div>
                )}
              </div>
              <div className="impact-right">
                {r.impacted.length === 0 ? (
                  <EmptyState icon="✓" title="Nothing else is impacted">
                    No CI depends on {r.changed.map((c) => c.name).join(', ')} through the relationship types followed.
                  </EmptyState>
                ) : (
                  <ResultsTable rows={r.impacted} selected={picked} onSelect={setPicked} />
                )}
                {pickedCi ? (
                  <PathSteps ci={pickedCi} byKey={byKey} relTypes={relTypes} upstream={r.direction === 'upstream'} onOpen={openInBrowse} />
                ) : (
                  r.impacted.length > 0 && (
                    <p className="path-hint muted">Click a CI in the table or on the graph to see why it is impacted, step by step.</p>
                  )
                )}
              </div>
            </div>
            <div className="impact-foot muted">
              {r.direction === 'downstream' ? 'Impact of' : 'Dependencies of'}{' '}
              {r.changed.map((c) => `${c.name} (${ciTypeLabel(c.type)})`).join(', ')} · following {r.types.join(', ')}
              {r.depthLimit != null ? ` up to ${r.depthLimit} hops` : ''} · {Math.round(r.durationMs)} ms
            </div>
          </>
        )}
      </div>
      <SaveChangeDialog open={saving} initial={draft} onClose={() => setSaving(false)} onSave={save} />
    </div>
  );
}
