/**
 * The default CSV formats: the columns `cmdb export` writes and the importer
 * recognises without a mapping. Any other column is kept as an attribute.
 */
export const CI_CORE = ['id', 'name', 'type', 'status', 'environment', 'owner', 'criticality', 'description'] as const;
export const REL_CORE = ['source', 'target', 'type', 'redundancy_group', 'min_up'] as const;
