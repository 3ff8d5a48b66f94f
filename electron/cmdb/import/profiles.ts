/** Saved column-mapping profiles: a mapping made once for an export format, reused by name. */
import { CmdbError } from '../../../shared/errors.js';
import { type Mapping, type MappingProfile, mappingSchema } from '../../../shared/import.js';
import { writeOutsideCis } from '../data-stamp.js';
import type { Db } from '../db.js';
import { nowIso } from '../rows.js';

interface ProfileRow {
  name: string;
  mapping: string;
  created_at: string;
  updated_at: string;
}

function toProfile(r: ProfileRow): MappingProfile {
  return { name: r.name, mapping: mappingSchema.parse(JSON.parse(r.mapping)), createdAt: r.created_at, updatedAt: r.updated_at };
}

/** Saves (creates or replaces) a profile. */
export function saveMappingProfile(db: Db, name: string, mapping: Mapping): MappingProfile {
  const clean = mappingSchema.parse(mapping);
  const now = nowIso();
  writeOutsideCis(db, () =>
    db
      .prepare(
        `INSERT INTO import_profiles(name, mapping, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
      )
      .run(name, JSON.stringify(clean), now, now),
  );
  return getMappingProfile(db, name);
}

export function getMappingProfile(db: Db, name: string): MappingProfile {
  const r = db.prepare('SELECT * FROM import_profiles WHERE name = ?').get(name) as ProfileRow | undefined;
  if (!r) {
    const names = db.prepare('SELECT name FROM import_profiles ORDER BY name').pluck().all() as string[];
    throw new CmdbError(
      'NOT_FOUND',
      `No mapping profile named "${name}". ${names.length > 0 ? `Saved profiles: ${names.join(', ')}.` : 'No profiles are saved yet.'}`,
      { name },
    );
  }
  return toProfile(r);
}

export function listMappingProfiles(db: Db): MappingProfile[] {
  return (db.prepare('SELECT * FROM import_profiles ORDER BY name').all() as ProfileRow[]).map(toProfile);
}

export function deleteMappingProfile(db: Db, name: string): boolean {
  return writeOutsideCis(db, () => db.prepare('DELETE FROM import_profiles WHERE name = ?').run(name)).changes > 0;
}
