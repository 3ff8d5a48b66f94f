/** Counts as people read them, in the app and the CLI alike. */

/** One formatter for every count: `toLocaleString` builds a new one per call (thousands per graph drawn). */
const COUNT = new Intl.NumberFormat('en-US');

/** 1234567 -> "1,234,567" */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** A count with its noun, singular for one: "1 CI", "2,400 CIs". */
export function formatCountOf(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A total that may be a lower bound (a search counts its matches only up to a cap): "10,000+". */
export function formatTotal(n: number, estimate: boolean | undefined): string {
  return `${formatCount(n)}${estimate ? '+' : ''}`;
}

/** A field's value in a change (history, a diff) as people read it: ∅ when not set, JSON for an object or list. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
