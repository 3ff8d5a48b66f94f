/** The key, name and type of CIs by SQLite id, read in chunks, for wording findings. */
import type { Db } from '../db.js';

export interface CiLabel {
  key: string;
  name: string;
  type: string;
}

const CHUNK = 50_000;

/** Labels of `ids` (unknown ids are left out). */
export function readLabels(db: Db, ids: Iterable<number>): Map<number, CiLabel> {
  const all = [...new Set(ids)];
  const read = db.prepare('SELECT id, key, name, type FROM cis WHERE id IN (SELECT value FROM json_each(?))').raw();
  const out = new Map<number, CiLabel>();
  for (let i = 0; i < all.length; i += CHUNK) {
    for (const [id, key, name, type] of read.all(JSON.stringify(all.slice(i, i + CHUNK))) as Array<[number, string, string, string]>) {
      out.set(id, { key, name, type });
    }
  }
  return out;
}

/** A CI as a sentence names it: its name and, when they differ, its key ("Checkout (SVC-checkout)"). */
export function ciName(l: CiLabel): string {
  return l.name === l.key ? l.key : `${l.name} (${l.key})`;
}

/** A CI with its type: "Orders DB (db-orders, database)", or "web-01 (server)" when the name is the key. */
export function ciNameTyped(l: CiLabel): string {
  return l.name === l.key ? `${l.key} (${l.type})` : `${l.name} (${l.key}, ${l.type})`;
}

/** "a", "a and b", "a, b and c", or the first `max` and "N more". */
export function listed(items: string[], max = 5): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
