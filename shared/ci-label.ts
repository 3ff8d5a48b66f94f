/**
 * How the CLI, the screens' texts and every report name a CI to a person
 * (one rule, here only): CMDBs imported from ServiceNow (sys_id), BMC Helix
 * (reconciliation ids) or AWS (ARNs) have keys nobody reads, so
 * - in a heading or a list (the changed CIs, who to notify, what a baseline
 *   comparison found), a CI reads `Payments API (3f1c9a2e4b7d4c1e9a2e4b7d4c1e9a01)`:
 *   its name, then its whole key (never cut: ARNs differ at the end), to tell
 *   it apart and to type it back (`cmdb show KEY`);
 * - on a path (each step, the members a redundancy group still has up), a CI
 *   reads by its name alone (each CI of a path is listed with its key), with
 *   its key when another CI of the same answer has that name;
 * - the key alone where the name is the key, is empty, or is not known.
 * Machine-readable output (--json, CSV, the JSON report) keeps keys alone.
 *
 * A module with no imports: the import's threads name the CIs a sync retires with it, and must not load the
 * impact contract (and zod) to do so.
 */
export interface NamedCi {
  key: string;
  name?: string | null | undefined;
}

/** One CI in a heading or a list: its name, then its whole key in brackets; the key alone when the name adds nothing. */
export function ciLabel(ci: NamedCi): string {
  const name = ci.name;
  return !name?.trim() || name === ci.key ? ci.key : `${name} (${ci.key})`;
}

/** Names of the CIs one answer mentions, by key: how its lists and paths name them (see `ciLabel`). */
export interface CiNamer {
  /** A CI in a heading or a list: `ciLabel` with the name known for the key. */
  label(key: string): string;
  /** A CI on a path: its name, with its key when another CI known here has the same name (case aside). */
  step(key: string): string;
}

/** A namer over these CIs (later entries for a key win); keys it does not know read as themselves. */
export function ciNamer(cis: Iterable<NamedCi>): CiNamer {
  const names = new Map<string, string>();
  for (const c of cis) if (c.name?.trim()) names.set(c.key, c.name);
  const holders = new Map<string, number>();
  const folded = (name: string) => name.trim().toLowerCase();
  for (const name of names.values()) holders.set(folded(name), (holders.get(folded(name)) ?? 0) + 1);
  return {
    label: (key) => ciLabel({ key, name: names.get(key) }),
    step: (key) => {
      const name = names.get(key);
      if (name === undefined || (holders.get(folded(name)) ?? 0) > 1) return ciLabel({ key, name });
      return name;
    },
  };
}
