/** What a merge counts as a field with nothing in it, for the kept CI to fill and for a duplicate to give. */
import { criticalityOf } from '../../../shared/vocab.js';
import { namesNoOwner } from './rules/fields.js';

/** No value: null, or only white space. */
export const empty = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * A field's value that says nothing, which a merge fills from the duplicate (and never takes from it): none,
 * or for the owner and the criticality a value health reports as missing (an owner "n/a" or "-", a
 * criticality off the scale), so a merge does what health's findings ask.
 */
export function saysNothing(field: string, v: unknown): boolean {
  if (empty(v)) return true;
  if (field === 'owner') return namesNoOwner(v as string);
  if (field === 'criticality') return criticalityOf(v as string) === null;
  return false;
}
