/** The graph view's parameters as a hook. */
import { useMemo } from 'react';
import { readGraphParams, type GraphParams } from './params.js';

/** `readGraphParams`, with the type filters keeping their identity while their parameter is unchanged (they are effect dependencies). */
export function useGraphParams(params: Record<string, string>): GraphParams {
  const p = readGraphParams(params);
  const ciTypes = useMemo(() => p.ciTypes, [params.ct]);
  const relTypes = useMemo(() => p.relTypes, [params.rt]);
  const expand = useMemo(() => p.expand, [params.gx]);
  return { ...p, ciTypes, relTypes, expand };
}
