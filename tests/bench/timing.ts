/** Timing helpers shared by the bench's steps: wall time of a call, and the median of repeated runs. */

/** The median (the lower of the two middle values for an even count; NaN for none). */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

/** The value of `fn` and its wall time in milliseconds. */
export function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

/** The value of `fn` once it settles and its wall time in milliseconds. */
export async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}
