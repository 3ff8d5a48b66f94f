/**
 * The stored CI each row of a CIs file names, for an import into a CMDB
 * that is not empty. A re-import lists its CIs mostly in the order they
 * were first imported, which is the order of their ids: the CIs are read
 * in id order, a page at a time, and a row whose key is the next stored
 * CI's takes it from the page; any other row is looked up by key, and the
 * pages go on after the CI it found. A sequential read of a page costs a
 * third of what a look-up per row does (98,125 CIs read alone: about 0.3 s
 * against 0.9 s; the whole CI stage of a sync of them unchanged, 710-1,040 ms
 * of thread CPU in id order against 980-1,390 ms in name order, 4 runs each);
 * a file in another order costs a look-up per row as before, the pages
 * being tried again only after a growing number of rows. A row whose CI is
 * a few further on in the page (the file no longer lists the ones between,
 * a week's churn) takes it from there.
 *
 * A page holds each CI's id, import and digest only: the fields the file
 * has and the attributes, as one text (`digestSql`, built by SQLite); and
 * its source when asked for (`withSource`: the sync the split-source check
 * reads, source-split.ts), else a null SQLite hands over for nothing. A row
 * whose own digest (`rowDigest`) is the same changes nothing, and nothing
 * more is read for it; any other row reads its CI whole (`full`). Handing
 * JavaScript four values a CI instead of twelve is most of what a re-import
 * of unchanged CIs costs.
 *
 * A page never serves a CI this import has written since it was read:
 * a CI found by key (the only way to reach one out of order) starts the next
 * page after it, and a CI taken from a page is not in it again.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db.js';
import type { CiRow } from '../../rows.js';
import type { CiField, CiOptionalField } from '../ci-rows.js';

/** A stored CI as the importer compares a row with it. */
/** The largest CI id now (0 in an empty CMDB): the CIs an import creates after this are numbered above it. */
export function highestCiId(db: Db): number {
  return db.prepare('SELECT coalesce(max(id), 0) FROM main.cis').pluck().get() as number;
}

export type ExistingCi = Pick<CiRow, 'id' | 'type' | 'name' | CiOptionalField | 'attributes' | 'import_id' | 'source'>;

/** A stored CI as a page holds it: enough to tell a row that changes nothing. */
export interface StoredRef {
  id: number;
  import_id: number | null;
  /** Its source, when StoredCis was made `withSource` (else null). */
  source: string | null;
  /** The digest of the fields `StoredCis` was made for (see rowDigest). */
  digest: string;
}

const COLUMNS = 'id, key, type, name, status, environment, owner, criticality, description, attributes, import_id, source';
type Raw = [
  id: number,
  key: string,
  type: string,
  name: string,
  status: string | null,
  environment: string | null,
  owner: string | null,
  criticality: string | null,
  description: string | null,
  attributes: string,
  import_id: number | null,
  source: string | null,
];
type RawRef = [id: number, key: string, import_id: number | null, source: string | null, digest: string];

/** Rows of the first page after a look-up by key, and at most. */
const FIRST_PAGE = 32;
const MAX_PAGE = 1024;
/** The most rows looked up by key before the pages are tried again. */
const MAX_SKIP = 4096;
/** How far into its page a row's CI is looked for when it is not the next one. */
const LOOK_AHEAD = 8;

/** Between the parts of a digest. */
const SEP = '\x1f';
const SEP_CODE = 0x1f;

/**
 * SQL for the digest of a stored CI: which of `fields` are null (a number, bit i for fields[i]), then the
 * others' values in order, then the attributes, between separators. One concat_ws: SQLite builds the text
 * once (a part per field, each prefixed, took twice as long). With the same fields a row's digest
 * (rowDigest) is the same text exactly when every field and the attributes' JSON are the same.
 */
function digestSql(fields: readonly CiField[]): string {
  // No field at all: an update-only file of keys and attributes (ciLayout), compared by its attributes alone.
  const nulls = fields.length === 0 ? '0' : fields.map((f, i) => `((${f} IS NULL) << ${i})`).join(' | ');
  return `(${nulls}) || char(31) || concat_ws(char(31), ${[...fields, 'attributes'].join(', ')})`;
}

/**
 * A row's digest: which of its values of the fields StoredCis was made for are null (an empty cell), the
 * others, and its attributes' JSON (see digestSql). Null when a value holds the separator itself (the row
 * then reads its CI whole). The JSON cannot (JSON.stringify escapes it); a stored value holding it makes a
 * digest with more separators than its null bits allow, never the same text.
 */
export function rowDigest(values: ReadonlyArray<string | null>, attrsJson: string): string | null {
  let nulls = 0;
  let d = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === null) nulls |= 1 << i;
    else if (v.includes(SEP)) return null;
    else d += v + SEP;
  }
  return `${nulls}${SEP}${d}${attrsJson}`;
}

/**
 * Whether a row's digest (rowDigest) is `digest`, read off the stored text without building the row's: the
 * commonest row of a re-import changes nothing, and building its digest cost more than comparing it. A value
 * undefined is an empty cell that keeps the stored value ("emptyCells": "keep"): any stored value matches it.
 */
export function sameDigest(digest: string, values: ReadonlyArray<string | null | undefined>, attrsJson: string): boolean {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined) return sameDigestKeeping(digest, values, attrsJson);
    if (v === null) nulls |= 1 << i;
  }
  const head = String(nulls);
  if (!digest.startsWith(head) || digest.charCodeAt(head.length) !== SEP_CODE) return false;
  let at = head.length + 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === null) continue;
    if (!digest.startsWith(v, at) || digest.charCodeAt(at + v.length) !== SEP_CODE || v.includes(SEP)) return false;
    at += v.length + 1;
  }
  return digest.length - at === attrsJson.length && digest.startsWith(attrsJson, at);
}

/**
 * sameDigest for a row with values undefined (kept: any stored value matches). The stored null bits are read
 * from the digest: a field the row gives must be null or not as it is there, and a kept one's stored value, if
 * any, is passed over up to the next separator. A stored value holding the separator is passed over too early,
 * but then a separator is left in what must be the attributes' JSON, which has none (JSON.stringify escapes it):
 * never the same.
 */
function sameDigestKeeping(digest: string, values: ReadonlyArray<string | null | undefined>, attrsJson: string): boolean {
  if (attrsJson.includes(SEP)) return false;
  const headEnd = digest.indexOf(SEP);
  if (headEnd < 0) return false;
  const storedNulls = Number(digest.slice(0, headEnd));
  let at = headEnd + 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const storedNull = ((storedNulls >> i) & 1) === 1;
    if (v === undefined) {
      if (storedNull) continue;
      const end = digest.indexOf(SEP, at);
      if (end < 0) return false;
      at = end + 1;
      continue;
    }
    if ((v === null) !== storedNull) return false;
    if (v === null) continue;
    if (!digest.startsWith(v, at) || digest.charCodeAt(at + v.length) !== SEP_CODE || v.includes(SEP)) return false;
    at += v.length + 1;
  }
  return digest.length - at === attrsJson.length && digest.startsWith(attrsJson, at);
}

const existing = (r: Raw): ExistingCi => ({
  id: r[0],
  type: r[2],
  name: r[3],
  status: r[4],
  environment: r[5],
  owner: r[6],
  criticality: r[7],
  description: r[8],
  attributes: r[9],
  import_id: r[10],
  source: r[11],
});

const ref = (r: RawRef): StoredRef => ({ id: r[0], import_id: r[2], source: r[3], digest: r[4] });

export class StoredCis {
  private readonly byKey: Statement;
  private readonly after: Statement;
  private readonly byId: Statement;
  private page: RawRef[] = [];
  private at = 0;
  /** The id the next page starts after. */
  private lastId = 0;
  private pageSize = FIRST_PAGE;
  /** No stored CI after lastId (until a look-up moves it). */
  private end = false;
  /** Rows still to look up by key before trying the pages again, and how many tries in a row have missed. */
  private skip = 0;
  private misses = 0;
  /** Rows looked up by key (not taken from a page): for tests and the import's trace. */
  lookups = 0;

  /** `fields`: the fields a row's digest holds, in its order (see rowDigest); `withSource`: each CI's source too. */
  constructor(db: Db, fields: readonly CiField[], withSource = false) {
    const refColumns = `id, key, import_id, ${withSource ? 'source' : 'NULL'}, ${digestSql(fields)}`;
    this.byKey = db.prepare(`SELECT ${refColumns} FROM cis WHERE key = ?`).raw();
    this.after = db.prepare(`SELECT ${refColumns} FROM cis WHERE id > ? ORDER BY id LIMIT ?`).raw();
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM cis WHERE id = ?`).raw();
  }

  /** The stored CI with this id, whole, as it is now. */
  full(id: number): ExistingCi {
    return existing(this.byId.get(id) as Raw);
  }

  /** The stored CI with this key, as it is now; undefined when there is none. */
  get(key: string): StoredRef | undefined {
    const tried = this.skip === 0;
    if (tried) {
      const next = this.next();
      if (next !== undefined && next[1] === key) {
        this.at++;
        this.misses = 0;
        return ref(next);
      }
      // The file no longer lists the next stored CI or two (retired since, or gone): the row is a little further on.
      const page = this.page;
      for (let j = this.at + 1, end = Math.min(page.length, this.at + 1 + LOOK_AHEAD); j < end; j++) {
        if (page[j]![1] === key) {
          this.at = j + 1;
          this.misses = 0;
          return ref(page[j]!);
        }
      }
    } else this.skip--;
    this.lookups++;
    const found = this.byKey.get(key) as RawRef | undefined;
    if (found === undefined) return undefined; // a new CI: the next stored one is still the next
    if (tried) {
      // Out of id order: look up the next rows by key (more of them each time this happens again), then page on from here.
      // (Only when the page was tried and missed: the row that ends a run of look-ups tries the pages again.)
      this.misses++;
      this.skip = Math.min(2 ** this.misses, MAX_SKIP) - 1;
    }
    this.lastId = found[0];
    this.page = [];
    this.at = 0;
    this.pageSize = FIRST_PAGE;
    this.end = false;
    return ref(found);
  }

  private next(): RawRef | undefined {
    if (this.at < this.page.length) return this.page[this.at];
    if (this.end) return undefined;
    this.page = this.after.all(this.lastId, this.pageSize) as RawRef[];
    this.at = 0;
    this.pageSize = Math.min(this.pageSize * 2, MAX_PAGE);
    if (this.page.length === 0) {
      this.end = true;
      return undefined;
    }
    this.lastId = this.page[this.page.length - 1]![0];
    return this.page[0];
  }
}
