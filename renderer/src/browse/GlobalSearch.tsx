/** The search box in the header: as-you-type, `/` focuses it, arrows move, Enter opens. */
import { useEffect, useRef, useState } from 'react';
import { isolated } from '../../../shared/bidi.js';
import type { Ci } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { TypeDot, useDebounced } from '../ui/common.js';
import { formatTotal } from '../../../shared/format.js';

type Found = { query: string; items: Ci[]; total: number; estimate: boolean };

/** The list under the box: each CI by name and key (a name alone can be shared), then "show all" in the table. */
function ResultsList({
  result,
  error,
  active,
  onActive,
  onChoose,
}: {
  result: Found | null;
  error: string | null;
  active: number;
  onActive: (i: number) => void;
  onChoose: (i: number) => void;
}) {
  const n = result?.items.length ?? 0;
  return (
    <ul className="results" id="search-results" role="listbox" aria-label="Search results">
      {error && <li className="all">{error}</li>}
      {result && result.items.length === 0 && (
        <li aria-disabled="true" style={{ gridTemplateColumns: '1fr' }} className="muted">
          No CI matches “{result.query}”. Try fewer or shorter words.
        </li>
      )}
      {(result?.items ?? []).map((ci, i) => (
        <li
          key={ci.key}
          id={`sr-${i}`}
          role="option"
          aria-selected={i === active}
          onMouseEnter={() => onActive(i)}
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(i);
          }}
        >
          <TypeDot type={ci.type} />
          <span className="result-name" title={`${isolated(ci.name)} (${isolated(ci.key)})`}>
            <span className="nm">{ci.name}</span>
            <span className="sub mono">{ci.key}</span>
          </span>
          <span className="sub">{ciTypeLabel(ci.type)}</span>
        </li>
      ))}
      {result && result.total > 0 && (
        <li
          id={`sr-${n}`}
          role="option"
          className="all"
          aria-selected={active === n}
          onMouseEnter={() => onActive(n)}
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(n);
          }}
        >
          {result.total === 1 && !result.estimate
            ? 'Show the result in the table'
            : `Show all ${formatTotal(result.total, result.estimate)} results in the table`}
        </li>
      )}
    </ul>
  );
}

export function GlobalSearch({ onOpen, onSearchAll }: { onOpen: (key: string) => void; onSearchAll: (query: string) => void }) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [result, setResult] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const blurTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const query = useDebounced(text.trim(), 120);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!query) {
      setResult(null);
      return;
    }
    let live = true;
    cmdb.listCis({ query, limit: 8, offset: 0 }).then(
      (r) => {
        if (!live) return;
        setResult({ query, items: r.items, total: r.total, estimate: r.totalIsEstimate === true });
        setError(null);
        setActive(0);
      },
      (err: unknown) => live && setError((err as Error).message),
    );
    return () => {
      live = false;
    };
  }, [query]);

  const items = result?.items ?? [];
  const count = items.length + (result && result.total > 0 ? 1 : 0);
  const choose = (i: number) => {
    const ci = items[i];
    if (ci) onOpen(ci.key);
    else if (text.trim()) onSearchAll(text.trim());
    setOpen(false);
    input.current?.blur();
  };
  const show = open && text.trim() !== '' && (result !== null || error !== null);

  return (
    <div className="search" role="search">
      <span className="glass" aria-hidden="true">
        ⌕
      </span>
      <input
        ref={input}
        className="input"
        type="search"
        placeholder="Search CIs by name, key, owner…"
        aria-label="Search CIs"
        role="combobox"
        aria-expanded={show}
        aria-controls="search-results"
        aria-activedescendant={show && count > 0 ? `sr-${active}` : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => {
          clearTimeout(blurTimer.current);
          setOpen(true);
        }}
        onBlur={() => {
          blurTimer.current = setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, Math.max(count - 1, 0)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            // Enter before the debounced answer arrives searches the table for what was typed.
            if (result && result.query === text.trim()) choose(active);
            else if (text.trim()) {
              onSearchAll(text.trim());
              setOpen(false);
            }
          } else if (e.key === 'Escape') {
            setOpen(false);
            input.current?.blur();
          }
        }}
      />
      {!text && (
        <span className="kbd" aria-hidden="true">
          /
        </span>
      )}
      {show && <ResultsList result={result} error={error} active={active} onActive={setActive} onChoose={choose} />}
    </div>
  );
}
