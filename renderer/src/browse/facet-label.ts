/**
 * A filter value as the browse screen names it, in its facets, its list of all values and its filter chips: a
 * type by its label ("Virtual machine"), a value not set (stored as null, chosen as '') as the CLI says it.
 */
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { NOT_SET } from '../../../shared/format.js';

export function facetValueLabel(field: string, value: string | null): string {
  if (value === null || value === '') return NOT_SET;
  return field === 'type' ? ciTypeLabel(value) : value;
}
