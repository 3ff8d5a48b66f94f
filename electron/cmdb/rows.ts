/** Row shapes as stored, and their mapping to domain objects. */
import type { Ci, CiRef, Relationship } from '../../shared/domain.js';

export interface CiRow {
  id: number;
  key: string;
  type: string;
  name: string;
  status: string | null;
  environment: string | null;
  owner: string | null;
  criticality: string | null;
  description: string | null;
  attributes: string;
  source: string | null;
  created_at: string;
  updated_at: string;
  import_id: number | null;
}

export interface RelRow {
  id: number;
  source_id: number;
  target_id: number;
  source_key: string;
  target_key: string;
  type: string;
  redundancy_group: string | null;
  min_up: number | null;
  attributes: string;
}

export const CI_COLUMNS =
  'id, key, type, name, status, environment, owner, criticality, description, attributes, source, created_at, updated_at, import_id';

/**
 * The SQLite JSON path of one attribute, its name quoted as one label so any
 * name (dots, brackets, quotes, backslashes) reads that attribute; inside the
 * quotes SQLite takes JSON string escapes.
 */
export function attributeJsonPath(name: string): string {
  return `$."${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Sets attribute `name` as the object's own property. `attrs[name] = value` would not for an attribute named
 * `__proto__` (an import keeps one from attributes_json): it sets the object's prototype, or nothing, instead.
 */
export function setAttribute(attrs: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
}

export function parseAttributes(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function rowToCi(r: CiRow): Ci {
  return {
    id: r.id,
    key: r.key,
    type: r.type,
    name: r.name,
    status: r.status,
    environment: r.environment,
    owner: r.owner,
    criticality: r.criticality,
    description: r.description,
    attributes: parseAttributes(r.attributes),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    importId: r.import_id,
  };
}

export function rowToRef(r: Pick<CiRow, 'key' | 'name' | 'type' | 'status' | 'criticality'>): CiRef {
  return { key: r.key, name: r.name, type: r.type, status: r.status, criticality: r.criticality };
}

export function rowToRelationship(r: RelRow): Relationship {
  return {
    id: r.id,
    source: r.source_key,
    target: r.target_key,
    type: r.type,
    redundancyGroup: r.redundancy_group,
    minUp: r.min_up,
    attributes: parseAttributes(r.attributes),
  };
}

export function nowIso(): string {
  return new Date().toISOString();
}
