/** Chooses CIs by typing: a search as you type, arrow keys and Enter to add one. */
import { useEffect, useRef, useState } from 'react';
import type { Ci } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { TypeDot, useDebounced } from '../ui/common.js';

export function CiPicker({ exclude, onPick }: { exclude: readonly string[]; onPick: (ci: Ci) => void }) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 120);
  const [hits, setHits] = useState<Ci[]>([]);
  // The query the hits answer: "no match" is said only once the answer for what is typed is in.
  const [answered, setAnswered] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  // Closing on blur waits a moment (a click on an option blurs first); coming back cancels it.
  const closing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const show = () => {
    if (closing.current) clearTimeout(closing.current);
    closing.current = null;
    setOpen(true);
  };

  useEffect(() => {
    if (!q) return setHits([]);
    let live = true;
    cmdb.listCis({ query: q, limit: 8 }).then(
      (r) => {
        if (!live) return;
        setHits(r.items);
        setAnswered(q);
        setActive(0);
      },
      () => live && setHits([]),
    );
    return () => {
      live = false;
    };
  }, [q]);

  const options = hits.filter((h) => !exclude.includes(h.key));
  const noMatch =
    q !== '' && q === text.trim() && answered === q && options.length === 0
      ? hits.length > 0
        ? `Every CI matching “${q}” is already in the change.`
        : `No CI matches “${q}”. Try fewer or shorter words.`
      : null;
  const listed = open && (options.length > 0 || noMatch !== null);
  const pick = (ci: Ci) => {
    onPick(ci);
    setText('');
    setHits([]);
  };
  return (
    <div className="picker">
      <input
        className="input"
        role="combobox"
        aria-expanded={listed}
        aria-controls="impact-picker-list"
        aria-label="Add a changed CI"
        placeholder="Search a CI to add…"
        value={text}
        onFocus={show}
        onBlur={() => {
          closing.current = setTimeout(() => setOpen(false), 150);
        }}
        onChange={(e) => {
          setText(e.target.value);
          show();
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, options.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && options[active]) {
            e.preventDefault();
            pick(options[active]);
          } else if (e.key === 'Escape') setOpen(false);
        }}
      />
      {listed && (
        <ul className="results" id="impact-picker-list" role="listbox" aria-label="Matching CIs">
          {noMatch && (
            <li aria-disabled="true" style={{ gridTemplateColumns: '1fr' }} className="muted" data-testid="picker-no-match">
              {noMatch}
            </li>
          )}
          {options.map((ci, i) => (
            <li
              key={ci.key}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(ci);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <TypeDot type={ci.type} />
              <bdi>{ci.name}</bdi>
              <span className="sub mono">
                <bdi>{ci.key}</bdi> · {ciTypeLabel(ci.type)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
