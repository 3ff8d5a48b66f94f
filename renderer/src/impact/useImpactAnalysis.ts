/**
 * The Impact screen's state and effects: the changed CIs (kept for the tab,
 * see changeSet.ts) and their names, the choices, the analysis that follows
 * them, the CI picked in it, and the saved change that is open.
 */
import { useEffect, useMemo, useState } from 'react';
import { propagates, type RelType } from '../../../shared/domain.js';
import type { ChangeDetail, ChangeSummary, ImpactDirection, ImpactRequest, ImpactResult, OtherChange } from '../../../shared/impact.js';
import { cmdb } from '../api.js';
import { useAsync } from '../ui/common.js';
import { tellOtherTabs } from '../ui/ElsewhereNotice.js';
import { useKeptState } from '../ui/keptState.js';
import { onChangeSet, useChangeSet } from './changeSet.js';
import { loadImpactGraph } from './graphChunk.js';
import { applyRenames, findRenames, missingKeys, type Rename } from './mergedKeys.js';
import { changeDraft, paramsKey, toggleType, type ChangeDraft, type Params } from './params.js';
import { useImpactView } from './useImpactView.js';
import { formatWindow } from './window.js';

/**
 * Most impacted CIs fetched for the table, the most severe first. The counts,
 * business services, teams and rolled-up graphs always cover all of them;
 * the full list is an export, and a group's CIs are a query of their own.
 */
export const LIST_LIMIT = 500;

/** A CI's name and type, as the changed list shows it. */
type CiName = { name: string; type: string };

/**
 * The changed CIs, kept for the tab and in step with other screens' “Add to
 * change”. Until the change is first set (or forgotten), the CI the screen
 * was opened on stands for it, unkept: opened on another CI, it shows that one.
 */
function useChangedKeys(selected: string | null) {
  const [kept, setKeys] = useChangeSet();
  const [seed, setSeed] = useState(() => (kept.length === 0 && selected ? [selected] : null));
  useEffect(() => onChangeSet(() => setSeed(null)), []);
  return [seed ?? kept, setKeys] as const;
}

/**
 * Names for the chosen CIs: from the analysis' own answer, else fetched
 * (Add to change, a reopened change) once `ready`: the analysis goes first,
 * as the host answers one request at a time.
 */
function useCiNames(keys: string[], answered: ImpactResult | null, ready: boolean) {
  const [names, setNames] = useState<Map<string, CiName>>(new Map());
  useEffect(() => {
    if (!answered) return;
    const fresh = answered.changed.filter((c) => !names.has(c.key));
    if (fresh.length > 0)
      setNames((m) => {
        const n = new Map(m);
        for (const c of fresh) n.set(c.key, { name: c.name, type: c.type });
        return n;
      });
  }, [answered]);
  useEffect(() => {
    if (!ready) return;
    const missing = keys.filter((k) => !names.has(k) && !answered?.changed.some((c) => c.key === k));
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
  }, [keys.join('\n'), ready]);
  const addName = (key: string, n: CiName) => setNames((m) => new Map(m).set(key, n));
  return [names, addName] as const;
}

/**
 * The relationship types of the registry, and those that carry impact:
 * fetched once `ready` and the graph's code is in. The registry counts every
 * relationship, which on a big estate takes the host longer than the
 * analysis and the graph's code it would otherwise hold up.
 */
function useRelTypes(ready: boolean) {
  const [typesReg] = useAsync(() => (ready ? loadImpactGraph().then(() => cmdb.getTypes({})) : Promise.resolve(null)), [ready]);
  const relTypes = useMemo(() => new Map<string, RelType>((typesReg.data?.relTypes ?? []).map((t) => [t.name, t])), [typesReg.data]);
  const propagating = useMemo(
    () => (typesReg.data?.relTypes ?? []).filter((t) => propagates(t.strength)).map((t) => t.name),
    [typesReg.data],
  );
  return { relTypes, propagating };
}

/** Everything the Impact screen shows and does; `version` moves when the CMDB's data is to be read again. */
export function useImpactAnalysis(selected: string | null, version: number) {
  const [keys, setKeys] = useChangedKeys(selected);
  // Kept like the changed CIs: a look at Browse or the Graph and back finds the change as it was being assessed.
  const [direction, setDirection] = useKeptState<ImpactDirection>('impact.direction', 'downstream');
  const [types, setTypes] = useKeptState<string[] | null>('impact.types', null);
  const [depth, setDepth] = useKeptState<number | null>('impact.depth', null);
  const pkey = paramsKey({ keys, direction, types, depth });

  // The answer for the choices (`key`) as read at `at`, the version of the data.
  const [result, setResult] = useState<{ key: string; at: number; value: ImpactResult } | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The saved change being worked on stays open (Save updates it, not a new one); kept for the page, with its detail.
  // `others`: the other saved changes on the same CIs, as the engine found them when it was saved or reopened.
  const [open, setOpen] = useKeptState<{
    summary: ChangeSummary;
    detail: ChangeDetail | null;
    key: string;
    others?: OtherChange[] | undefined;
  } | null>('impact.open', null, 'page');
  const [listVersion, setListVersion] = useState(0);
  // Keys of the draft a merge took, followed to the CI kept (saved changes the engine renames itself).
  const [merged, setMerged] = useState<Rename[] | null>(null);
  // The analysis first: the names and the registry wait for its answer (or for nothing to analyse).
  const ready = keys.length === 0 || result !== null || error != null;
  const [names, addName] = useCiNames(keys, result?.value ?? null, ready);
  const { relTypes, propagating } = useRelTypes(ready);
  const request: ImpactRequest | null =
    keys.length === 0 ? null : { keys, direction, types: types ?? undefined, depth: depth ?? undefined, limit: LIST_LIMIT };

  useEffect(() => {
    void loadImpactGraph();
  }, []);

  // The analysis follows the choices: it runs again whenever they change, or the data is read again.
  useEffect(() => {
    if (keys.length === 0) {
      setResult(null);
      return;
    }
    if (result?.key === pkey && result.at === version) return;
    let live = true;
    setRunning(true);
    setError(null);
    // A reopened change read again (the data changed since): its "since it was saved" is the engine's again too,
    // not left as it was while the numbers under it move.
    const reopened = open?.detail && open.key === pkey ? open : null;
    const answer = reopened
      ? cmdb.getChange({ id: reopened.summary.id, limit: LIST_LIMIT }).then(
          (detail) => {
            if (live) setOpen({ summary: detail.change, detail, key: pkey, others: detail.others });
            return detail.current;
          },
          // Deleted meanwhile (another window): the analysis of its CIs, as a draft.
          () => {
            if (live) setOpen(null);
            return cmdb.impact(request!);
          },
        )
      : cmdb.impact(request!);
    answer
      .then(
        (value) => {
          if (!live) return;
          setResult({ key: pkey, at: version, value });
          view.reset();
        },
        async (err: unknown) => {
          const renames = await findRenames(missingKeys(err));
          if (!live) return;
          if (renames.length === 0) return setError(err);
          setMerged(renames);
          setKeys(applyRenames(keys, renames));
        },
      )
      .finally(() => live && setRunning(false));
    return () => {
      live = false;
    };
  }, [pkey, version]);

  const r = result?.value ?? null;
  const view = useImpactView(r, request);

  const reopen = async (c: Pick<ChangeSummary, 'id'>) => {
    setError(null);
    try {
      const detail = await cmdb.getChange({ id: c.id, limit: LIST_LIMIT });
      const p: Params = { keys: detail.change.keys, direction: 'downstream', types: detail.change.types, depth: detail.change.depth };
      const k = paramsKey(p);
      setKeys(p.keys);
      setDirection('downstream');
      setTypes(p.types);
      setDepth(p.depth);
      setResult({ key: k, at: version, value: detail.current });
      view.reset();
      setOpen({ summary: detail.change, detail, key: k, others: detail.others });
    } catch (err) {
      setError(err);
    }
  };

  const save = async (d: ChangeDraft) => {
    const res = await cmdb.saveChange({
      ref: d.ref.trim(),
      title: d.title.trim(),
      window: formatWindow(d.start, d.end) ?? d.savedWindow,
      description: d.description.trim() || null,
      keys,
      types: types ?? undefined,
      depth: depth ?? undefined,
    });
    tellOtherTabs();
    setResult({ key: pkey, at: version, value: res.result });
    setOpen({ summary: res.change, detail: null, key: pkey, others: res.others });
    setListVersion((v) => v + 1);
  };

  return {
    keys,
    setKeys,
    names,
    addName,
    direction,
    setDirection,
    types,
    typeChoice: types ?? propagating,
    toggleType: (t: string) => setTypes(toggleType(types, propagating, t)),
    depth,
    setDepth,
    relTypes,
    pkey,
    r,
    running,
    error,
    request,
    ...view,
    open,
    setOpen,
    /** The saved changes' list reads again after a save here, and with the data. */
    listVersion: listVersion + version,
    draft: changeDraft(open?.summary ?? null, r),
    reopen,
    save,
    /** Keys of the draft the last analysis refused as naming no CI (deleted, or never there), to mark and remove. */
    missing: missingKeys(error),
    merged,
    dismissMerged: () => setMerged(null),
  };
}

/** What `useImpactAnalysis` gives the screen's parts. */
export type ImpactAnalysis = ReturnType<typeof useImpactAnalysis>;
