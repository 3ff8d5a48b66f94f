/**
 * The default CSV formats: the columns `cmdb export` writes and the importer
 * recognises without a mapping. Any other column is kept as an attribute.
 */
export const CI_CORE = ['id', 'name', 'type', 'status', 'environment', 'owner', 'criticality', 'description'] as const;
export const REL_CORE = ['source', 'target', 'type', 'redundancy_group', 'min_up'] as const;

/**
 * The column of attributes that a column of their own cannot carry exactly,
 * as a JSON object of names and text values: a name that differs from
 * another only in case, is named like a core column, is empty, has
 * surrounding spaces or starts like a formula; an empty value, or one with
 * surrounding spaces (cells are read trimmed, and an empty cell means "no
 * attribute"). Export writes it only when some row needs it.
 */
export const ATTRIBUTES_JSON = 'attributes_json';
