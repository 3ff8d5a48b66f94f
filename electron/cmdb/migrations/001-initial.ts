import type { Migration } from './index.js';

/** The CMDB's first schema: types registry, CIs, relationships, history, search. */
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  up: `
    CREATE TABLE ci_types (
      name TEXT PRIMARY KEY,
      label TEXT NOT NULL,
      flagged INTEGER NOT NULL DEFAULT 0,
      builtin INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    -- dependent: which end is impacted when the other fails.
    -- strength: hard (goes down with it), soft (degraded), none (not propagated).
    CREATE TABLE rel_types (
      name TEXT PRIMARY KEY,
      label TEXT NOT NULL,
      reverse_label TEXT NOT NULL,
      dependent TEXT NOT NULL CHECK (dependent IN ('source', 'target')),
      strength TEXT NOT NULL CHECK (strength IN ('hard', 'soft', 'none')),
      flagged INTEGER NOT NULL DEFAULT 0,
      builtin INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE imports (
      id INTEGER PRIMARY KEY,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      files TEXT NOT NULL DEFAULT '[]',
      content_hash TEXT,
      mode TEXT NOT NULL DEFAULT 'upsert',
      source TEXT,
      counts TEXT NOT NULL DEFAULT '{}',
      duration_ms INTEGER,
      undone_at TEXT
    ) STRICT;

    CREATE TABLE cis (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL REFERENCES ci_types(name) ON UPDATE CASCADE,
      name TEXT NOT NULL,
      status TEXT,
      environment TEXT,
      owner TEXT,
      criticality TEXT,
      description TEXT,
      attributes TEXT NOT NULL DEFAULT '{}',
      source TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      import_id INTEGER REFERENCES imports(id)
    ) STRICT;
    CREATE INDEX cis_type_name ON cis(type, name);
    CREATE INDEX cis_name ON cis(name COLLATE NOCASE);
    CREATE INDEX cis_status ON cis(status);
    CREATE INDEX cis_environment ON cis(environment);
    CREATE INDEX cis_owner ON cis(owner);
    CREATE INDEX cis_criticality ON cis(criticality);
    CREATE INDEX cis_import ON cis(import_id);

    CREATE TABLE relationships (
      id INTEGER PRIMARY KEY,
      source_id INTEGER NOT NULL REFERENCES cis(id) ON DELETE CASCADE,
      target_id INTEGER NOT NULL REFERENCES cis(id) ON DELETE CASCADE,
      type TEXT NOT NULL REFERENCES rel_types(name) ON UPDATE CASCADE,
      redundancy_group TEXT,
      min_up INTEGER CHECK (min_up IS NULL OR min_up >= 1),
      attributes TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      import_id INTEGER REFERENCES imports(id),
      UNIQUE (source_id, target_id, type)
    ) STRICT;
    CREATE INDEX relationships_target ON relationships(target_id);
    CREATE INDEX relationships_import ON relationships(import_id);

    -- Every create, update and delete, field by field.
    CREATE TABLE history (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      entity TEXT NOT NULL CHECK (entity IN ('ci', 'relationship')),
      entity_id INTEGER NOT NULL,
      ci_key TEXT,
      -- for relationships: the CI at the other end, so both ends see the entry
      related_key TEXT,
      action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
      summary TEXT NOT NULL DEFAULT '',
      changes TEXT,
      source TEXT NOT NULL,
      import_id INTEGER REFERENCES imports(id)
    ) STRICT;
    CREATE INDEX history_entity ON history(entity, entity_id);
    CREATE INDEX history_ci_key ON history(ci_key);
    CREATE INDEX history_related_key ON history(related_key) WHERE related_key IS NOT NULL;
    CREATE INDEX history_import ON history(import_id);

    -- Full-text search over CIs, kept in step by triggers.
    CREATE VIRTUAL TABLE ci_fts USING fts5(
      key, name, type, owner, description, attributes,
      content = 'cis', content_rowid = 'id',
      tokenize = "unicode61 remove_diacritics 2 tokenchars '-_.'",
      prefix = '2 3'
    );
    CREATE TRIGGER cis_fts_insert AFTER INSERT ON cis BEGIN
      INSERT INTO ci_fts(rowid, key, name, type, owner, description, attributes)
      VALUES (new.id, new.key, new.name, new.type, new.owner, new.description, new.attributes);
    END;
    CREATE TRIGGER cis_fts_delete AFTER DELETE ON cis BEGIN
      INSERT INTO ci_fts(ci_fts, rowid, key, name, type, owner, description, attributes)
      VALUES ('delete', old.id, old.key, old.name, old.type, old.owner, old.description, old.attributes);
    END;
    CREATE TRIGGER cis_fts_update AFTER UPDATE OF key, name, type, owner, description, attributes ON cis BEGIN
      INSERT INTO ci_fts(ci_fts, rowid, key, name, type, owner, description, attributes)
      VALUES ('delete', old.id, old.key, old.name, old.type, old.owner, old.description, old.attributes);
      INSERT INTO ci_fts(rowid, key, name, type, owner, description, attributes)
      VALUES (new.id, new.key, new.name, new.type, new.owner, new.description, new.attributes);
    END;

    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `,
};
