/**
 * The Compare screen's state: the baselines, the two points (kept in the
 * address), the engine's diff between them for the chosen types, the filters
 * over its rows and the row opened.
 */
import { useMemo, useState } from 'react';
import { cmdb } from '../api.js';
import { useAsync, useDebounced } from '../ui/common.js';
import { defaultPoints, diffRows, filterRows, NO_FILTER, ownerOptions, type RowFilter } from './model.js';

/** Entries listed per list of the diff on screen; its counts cover all, and the export has every entry. */
export const DIFF_LIMIT = 10_000;

export interface CompareParams {
  from?: string;
  to?: string;
  /** CI types, comma-separated (the engine filters by them). */
  types?: string;
}

export function splitTypes(s: string | undefined): string[] {
  return s ? s.split(',').filter(Boolean) : [];
}

export function useCompare(params: CompareParams, version: number, onParams: (p: Record<string, string>) => void) {
  // Only the parameters set go to the address.
  const emit = (p: CompareParams) => onParams(Object.fromEntries(Object.entries(p).filter((e): e is [string, string] => !!e[1])));
  const [tick, setTick] = useState(0);
  const [list, reloadList] = useAsync(() => cmdb.listBaselines({}), [version, tick]);
  const [reg] = useAsync(() => cmdb.getTypes({}), [version]);
  const baselines = list.data?.baselines ?? [];
  const points = list.data ? defaultPoints(params, baselines) : null;
  const types = splitTypes(params.types);
  const typesKey = types.join(',');

  const [diff, reloadDiff] = useAsync(
    () =>
      points
        ? cmdb.diff({ from: points.from, to: points.to, types: types.length ? types : undefined, limit: DIFF_LIMIT })
        : Promise.resolve(null),
    [points?.from, points?.to, typesKey, version, tick],
  );
  const [filter, setFilter] = useState<RowFilter>(NO_FILTER);
  const [openId, setOpenId] = useState<string | null>(null);

  const d = diff.status === 'ok' || diff.status === 'loading' ? (diff.data ?? null) : null;
  // A diff kept while the next loads belongs to the old points: only rows of the points asked for are shown.
  const current = d && points && d.from === points.from && d.to === points.to ? d : null;
  const rows = useMemo(() => (current ? diffRows(current) : []), [current]);
  // The text filter follows typing after a pause: tens of thousands of rows are filtered per change.
  const text = useDebounced(filter.text, 150);
  const shown = useMemo(() => filterRows(rows, { ...filter, text }), [rows, filter.kinds, filter.entities, filter.owners, text]);
  const owners = useMemo(() => ownerOptions(rows), [rows]);
  const typeChoices = useMemo(() => {
    const names = new Set((reg.data?.ciTypes ?? []).map((t) => t.name));
    for (const t of current?.types.removed ?? []) names.add(t);
    for (const t of types) names.add(t);
    return [...names].sort();
  }, [reg.data, current, typesKey]);

  const setPoints = (from: string, to: string) => {
    setOpenId(null);
    emit({ ...params, from, to });
  };
  return {
    baselines,
    list,
    points,
    diff: current,
    loading: diff.status === 'loading' || list.status === 'loading',
    error: diff.status === 'error' ? diff.error : null,
    rows,
    shown,
    owners,
    typeChoices,
    types,
    setTypes: (t: string[]) => emit({ ...params, types: t.join(',') }),
    filter,
    setFilter,
    openId,
    setOpenId,
    open: shown.find((r) => r.id === openId) ?? rows.find((r) => r.id === openId) ?? null,
    setPoints,
    /** Back to the default points: the newest baseline against now. */
    resetPoints: () => {
      setOpenId(null);
      emit({ types: params.types });
    },
    /** After a baseline was saved or deleted: read the list again (and the diff, whose points may be gone). */
    refresh: () => setTick((t) => t + 1),
    retry: () => {
      reloadList();
      reloadDiff();
    },
  };
}

export type CompareState = ReturnType<typeof useCompare>;
