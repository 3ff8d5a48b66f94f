/** The frame's top bar: the product, the screens, the global search, the open CMDB with its size, and the theme. */
import type { Stats } from '../../shared/domain.js';
import { GlobalSearch } from './browse/GlobalSearch.js';
import { VIEWS, type View } from './route.js';
import type { Theme } from './theme.js';
import { type AsyncState } from './ui/common.js';
import { formatCount } from '../../shared/format.js';

/** The last two segments of a path: enough to tell CMDB files apart in the header. */
function shortPath(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : p;
}

const VIEW_LABEL: Record<View, string> = {
  browse: 'Browse',
  graph: 'Graph',
  impact: 'Impact',
  compare: 'Compare',
  health: 'Health',
  import: 'Import',
};

/** The open CMDB: its file (which gives way first in a narrow window) and its counts. */
function OpenCmdb({ stats }: { stats: AsyncState<Stats> }) {
  const s = stats.data;
  return (
    // The title says it all: in a narrow window the path is hidden and the counts may be cut.
    <div
      className="dbinfo"
      aria-label="Open CMDB"
      title={s ? `${s.path} · ${formatCount(s.cis)} CIs · ${formatCount(s.relationships)} relationships` : undefined}
    >
      {s ? (
        <>
          <span className="path mono" title={s.path}>
            {shortPath(s.path)}
          </span>
          <span>
            <strong data-testid="stat-cis">{formatCount(s.cis)}</strong> CIs
          </span>
          <span className="rels">
            <strong data-testid="stat-rels">{formatCount(s.relationships)}</strong> relationships
          </span>
        </>
      ) : stats.status === 'error' ? (
        <span>CMDB unavailable</span>
      ) : (
        <span className="skel" style={{ width: 220 }} />
      )}
    </div>
  );
}

export function TopBar({
  view,
  stats,
  theme,
  onToggleTheme,
  onView,
  onOpenCi,
  onSearchAll,
}: {
  view: View;
  stats: AsyncState<Stats>;
  theme: Theme;
  onToggleTheme: () => void;
  /** A screen chosen in the navigation. */
  onView: (v: View) => void;
  /** A CI picked from the global search's results. */
  onOpenCi: (key: string) => void;
  /** The global search's "all results": Browse with the query. */
  onSearchAll: (q: string) => void;
}) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          C
        </span>
        <span className="brand-name">CMDB Explorer</span>
      </div>
      <nav className="nav" aria-label="Main">
        {VIEWS.map((v) => (
          <button key={v} type="button" aria-current={view === v ? 'page' : undefined} onClick={() => onView(v)}>
            {VIEW_LABEL[v]}
          </button>
        ))}
      </nav>
      <GlobalSearch onOpen={onOpenCi} onSearchAll={onSearchAll} />
      <OpenCmdb stats={stats} />
      <button
        type="button"
        className="btn icon ghost"
        onClick={onToggleTheme}
        aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
        title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}
