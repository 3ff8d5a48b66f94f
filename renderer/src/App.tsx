/** The frame: the top bar (TopBar.tsx), the screen for the route, and what the whole app reacts to (another CMDB opened, edits made elsewhere). */
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import type { CmdbEvent } from '../../shared/events.js';
import { cmdb, onCmdbEvent } from './api.js';
import { Browse } from './browse/Browse.js';
import { Compare } from './compare/Compare.js';
import { GraphScreen, preloadGraphView } from './graph/GraphScreen.js';
import { Health } from './health/Health.js';
import { useRoute, type Route, type View } from './route.js';
import { TopBar } from './TopBar.js';
import { useTheme } from './theme.js';
import { ErrorBox, Skeleton, useAsync } from './ui/common.js';
import { ElsewhereNotice, useEditedElsewhere } from './ui/ElsewhereNotice.js';
import { forgetKeptState, useKeptState } from './ui/keptState.js';
import { ImpactView } from './views/ImpactView.js';
import { ImportView } from './views/ImportView.js';

declare global {
  interface Window {
    /** Set once the frame has loaded the CMDB's stats and rendered: tests and benchmarks wait for it. */
    __cmdbReady?: boolean;
  }
}

/**
 * Each screen's parameters as last seen in this tab (Browse's search,
 * Health's rule and filter, Compare's points), so the navigation returns to
 * a screen as it was left. The Graph starts afresh on the CI in focus: its
 * parameters are its own screen's (saved views, the toolbar).
 */
function useLastParams(route: Route): (v: View) => Record<string, string> {
  const [last, setLast] = useKeptState<Partial<Record<View, Record<string, string>>>>('nav.params', {});
  useEffect(() => {
    if (route.view !== 'graph') setLast((m) => ({ ...m, [route.view]: route.params }));
  }, [route.view, JSON.stringify(route.params)]);
  return (v) => last[v] ?? {};
}

export function App() {
  const [route, navigate] = useRoute();
  const [theme, toggleTheme] = useTheme();
  /** Bumped after every edit or import so every screen re-reads what it shows. */
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  const [stats, reloadStats] = useAsync(() => cmdb.stats({}), [version]);
  // `edited`: after an edit or import made here, every screen re-reads and the other tabs on this CMDB are told.
  const { edited, ...elsewhere } = useEditedElsewhere(version, stats.data?.path, changed);

  const onEvent = useEffectEvent((e: CmdbEvent) => {
    if (e.type === 'cmdb-changed') {
      // Another CMDB: the last one's filters, change and import mean nothing in it (its keys, owners and files are others).
      forgetKeptState();
      navigate({ view: route.view, ci: null, params: {} });
      changed();
    }
    if (e.type === 'menu-command' && e.command === 'toggle-theme') toggleTheme();
  });
  // Subscribed once for the app's life: onEvent sees the latest state, so no render resubscribes (and drops events).
  useEffect(() => onCmdbEvent((e) => onEvent(e)), []);

  useEffect(() => {
    if (stats.status === 'ok' && !window.__cmdbReady) {
      performance.mark('cmdb:ready');
      window.__cmdbReady = true;
      preloadGraphView();
    }
  }, [stats.status]);

  const lastParams = useLastParams(route);

  // Each CI opened from the search box, counted: the same CI opened again is brought into view again (Browse).
  const [opened, setOpened] = useState(0);
  const openCi = (key: string, view: View = route.view === 'graph' ? 'graph' : 'browse') => {
    setOpened((n) => n + 1);
    navigate({ view, ci: key, params: view === route.view ? route.params : {} });
  };

  const s = stats.data;
  return (
    <div className="app">
      <TopBar
        view={route.view}
        stats={stats}
        theme={theme}
        onToggleTheme={toggleTheme}
        onView={(v) => navigate({ view: v, ci: route.ci, params: lastParams(v) })}
        onOpenCi={(key) => openCi(key)}
        onSearchAll={(q) => navigate({ view: 'browse', ci: null, params: { q } })}
      />
      <main className="main">
        {stats.status === 'error' && !s ? (
          <div className="page">
            <ErrorBox error={stats.error} title="The CMDB could not be opened" onRetry={reloadStats} />
          </div>
        ) : route.view === 'browse' ? (
          <Browse
            stats={s}
            query={route.params.q ?? ''}
            selected={route.ci}
            opened={opened}
            version={version}
            onChanged={edited}
            onSelect={(key) => navigate({ view: 'browse', ci: key, params: route.params }, false)}
            onClearQuery={() => navigate({ view: 'browse', ci: route.ci, params: {} })}
            onGraph={(key) => navigate({ view: 'graph', ci: key, params: {} })}
          />
        ) : !s ? (
          <Skeleton rows={12} label="Opening the CMDB" />
        ) : route.view === 'graph' ? (
          <GraphScreen
            center={route.ci}
            params={route.params}
            version={version}
            onCenter={(key) => navigate({ view: 'graph', ci: key, params: route.params })}
            onParams={(params) => navigate({ view: 'graph', ci: route.ci, params }, true)}
            onOpenDetail={(key) => navigate({ view: 'browse', ci: key, params: {} })}
            onOpenView={(key, params) => navigate({ view: 'graph', ci: key, params })}
          />
        ) : route.view === 'impact' ? (
          <ImpactView
            stats={s}
            selected={route.ci}
            version={version}
            onGraph={(key) => navigate({ view: 'graph', ci: key, params: { dir: 'downstream', depth: '3' } })}
          />
        ) : route.view === 'compare' ? (
          <Compare
            params={route.params}
            version={version}
            onParams={(params) => navigate({ view: 'compare', ci: null, params }, true)}
            onOpenCi={(key) => navigate({ view: 'browse', ci: key, params: {} })}
          />
        ) : route.view === 'health' ? (
          <Health
            params={route.params}
            version={version}
            onParams={(params) => navigate({ view: 'health', ci: null, params }, true)}
            onChanged={edited}
            onOpenCi={(key) => navigate({ view: 'browse', ci: key, params: {} })}
          />
        ) : (
          <ImportView stats={s} onImported={edited} onBrowse={() => navigate({ view: 'browse', ci: null, params: {} })} />
        )}
      </main>
      {/* The screens showing the CMDB's data; the import wizard shows its files. */}
      {elsewhere.shown && route.view !== 'import' && <ElsewhereNotice onReload={changed} onDismiss={elsewhere.dismiss} />}
    </div>
  );
}
