/**
 * The notes over a reopened change's answer: what differs between the change
 * as saved and the CMDB now, the other saved changes on its CIs, and the
 * choices on screen that are not those it was saved with.
 */
import { mergedSinceText, notRunningSinceText, OTHER_CHANGES_HEADING, otherChangeDetail } from '../../../shared/explain.js';
import { type ReactNode, useMemo } from 'react';
import { ciNamer } from '../../../shared/ci-label.js';
import type { ChangeDetail, ChangeSummary, ImpactResult, OtherChange } from '../../../shared/impact.js';
import { asSentence, formatCount } from '../../../shared/format.js';
import { formatTime } from '../ui/common.js';
import { RiskBadge } from './Summary.js';

/**
 * The other saved changes on the same CIs (the engine's, ChangeDetail.others): each with its window beside this one's,
 * a click away. Two changes on dependent CIs in one night were each assessed as if alone (found by a change manager).
 */
export function OtherChanges({
  others,
  names,
  onOpen,
}: {
  others: readonly OtherChange[];
  /** The answer on screen: its CIs named by name, as the report names them (the app said keys alone; found by a CAB chair). */
  names: Pick<ImpactResult, 'changed' | 'impacted'> | null;
  onOpen: (id: number) => void;
}) {
  const namer = useMemo(() => (names ? ciNamer([...names.changed, ...names.impacted]) : undefined), [names]);
  return (
    <div className="diff others" role="note" aria-label="Other saved changes on the same CIs" data-testid="other-changes">
      <strong>{OTHER_CHANGES_HEADING}:</strong>
      <ul>
        {others.map((o) => (
          <li key={o.id}>
            <button type="button" className="linkbtn" onClick={() => onOpen(o.id)} title={`Open ${o.ref}`}>
              {o.ref}
            </button>
            {` ${otherChangeDetail(o, namer)}`}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Over the answer while the choices on screen are not those the open change was saved with (a depth or a type
 * changed after reopening it): says which, that its notes are answers to the saved choices and so set aside, and
 * brings the saved choices back. The notes used to vanish without a word (found by a change manager).
 */
export function ChoicesChanged({
  change,
  changed,
  hidesNotes,
  onBack,
}: {
  change: ChangeSummary;
  changed: readonly string[];
  hidesNotes: boolean;
  onBack: () => void;
}) {
  return (
    <div className="diff same" role="status" aria-label="Not as saved">
      <div>
        Shown with other choices than {change.ref} was saved with: {changed.join('; ')}.{' '}
        {hidesNotes ? 'Its notes (what changed since it was saved, other saved changes on its CIs) answer the saved choices. ' : ''}
        Save it again to keep these, or{' '}
        <button type="button" className="linkbtn" onClick={onBack}>
          go back to the saved choices
        </button>
        .
      </div>
    </div>
  );
}

/** What differs between the change as saved and the CMDB now. */
export function DiffBanner({ detail, onOpen }: { detail: ChangeDetail; onOpen: (key: string) => void }) {
  const { diff, change } = detail;
  const names = new Map(detail.current.impacted.map((c) => [c.key, c.name]));
  const idle = notRunningSinceText(diff);
  const merged = mergedSinceText(diff);
  const margin = (
    <>
      {idle && <div data-testid="diff-not-running">{asSentence(idle)}</div>}
      {merged && <div data-testid="diff-merged">{asSentence(merged)}</div>}
    </>
  );
  if (!diff.changed)
    return (
      <div className="diff same" role="status" aria-label="Since saved">
        Reopened {change.ref}: the same CIs are impacted, in the same states, as when it was saved ({formatTime(change.updatedAt)}).
        {margin}
      </div>
    );
  const link = (k: string) => (
    <button key={k} type="button" className="linkbtn" onClick={() => onOpen(k)} title={k}>
      {names.get(k) ?? k}
    </button>
  );
  return (
    <div className="diff" role="status" aria-label="Since saved">
      <strong>
        The CMDB changed since {change.ref} was saved ({formatTime(change.updatedAt)}).
      </strong>
      {diff.riskFrom !== diff.riskTo && (
        <div>
          Risk: <RiskBadge level={diff.riskFrom} /> → <RiskBadge level={diff.riskTo} />
        </div>
      )}
      <DiffItems testId="diff-added" heading="Newly impacted" items={diff.added} render={(a) => [link(a.key), a.state]} />
      <DiffItems testId="diff-removed" heading="No longer impacted" items={diff.removed} render={(a) => [link(a.key), `was ${a.state}`]} />
      <DiffItems
        testId="diff-state"
        heading="State changed"
        items={diff.stateChanged}
        render={(a) => [link(a.key), `${a.from} → ${a.to}`]}
      />
      {diff.missingKeys.length > 0 && (
        <div>
          Changed CIs no longer in the CMDB:{' '}
          {diff.missingKeys.map((k) => (
            <code key={k}>{k} </code>
          ))}
        </div>
      )}
      {margin}
    </div>
  );
}

/** DIFF_SHOWN at most: a list of what differs is read, not scanned; the rest counted. */
const DIFF_SHOWN = 20;

/** One kind of difference since a change was saved: its count, its first CIs (each a link, and what became of it), how many more. */
function DiffItems<T extends { key: string }>({
  testId,
  heading,
  items,
  render,
}: {
  testId: string;
  heading: string;
  items: readonly T[];
  render: (item: T) => [link: ReactNode, what: string];
}) {
  if (items.length === 0) return null;
  return (
    <div data-testid={testId}>
      {heading} ({formatCount(items.length)}):{' '}
      {items.slice(0, DIFF_SHOWN).map((item) => {
        const [link, what] = render(item);
        return (
          <span key={item.key} className="diff-item">
            {link} <small>{what}</small>
          </span>
        );
      })}
      {items.length > DIFF_SHOWN && <span className="muted"> and {formatCount(items.length - DIFF_SHOWN)} more</span>}
    </div>
  );
}
