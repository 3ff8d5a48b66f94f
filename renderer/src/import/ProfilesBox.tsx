/** The wizard's saved mapping profiles: apply one, or save the mapping on screen under a name. */
import type { MappingProfile } from '../../../shared/import.js';

/** What the profiles box shows and does (from `useProfiles`). */
interface ProfilesState {
  items: MappingProfile[] | undefined;
  /** Saved profiles whose columns the files loaded all have (profileFits), not applied yet: offered by name. */
  fitting: MappingProfile[];
  profileName: string;
  setProfileName: (name: string) => void;
  apply: (p: MappingProfile) => void;
  save: () => Promise<void>;
  /** The saved profile a save would replace, asked about: the next save replaces it. */
  replacing: string | null;
  cancelReplace: () => void;
  message: string | null;
  /** What the applied profile brings besides the controls ("Also from the profile: type values (3)."). */
  extras: string | null;
  dropExtras: () => void;
}

/** The “Mapping profiles” card. */
export function ProfilesBox({
  items,
  fitting,
  profileName,
  setProfileName,
  apply,
  save,
  replacing,
  cancelReplace,
  message,
  extras,
  dropExtras,
}: ProfilesState) {
  return (
    <section className="card" aria-label="Mapping profiles">
      <h2>Mapping profiles</h2>
      <div className="profile-row">
        <select
          className="input"
          aria-label="Saved mapping profiles"
          value=""
          onChange={(e) => {
            const p = items?.find((x) => x.name === e.target.value);
            if (p) apply(p);
          }}
        >
          <option value="">{items?.length ? 'Apply a saved mapping…' : 'No saved mapping yet'}</option>
          {items?.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
        <input
          className="input"
          placeholder="Profile name"
          value={profileName}
          onChange={(e) => setProfileName(e.target.value)}
          aria-label="Profile name"
        />
        <button type="button" className="btn" disabled={!profileName.trim()} onClick={() => void save()}>
          Save this mapping
        </button>
        {message && !replacing && <span className="muted small">{message}</span>}
      </div>
      {fitting.length > 0 && (
        <div className="notice" role="status" aria-label="Saved mappings that fit">
          {fitting.length === 1 ? 'A saved mapping fits these files (they have every column it names):' : 'Saved mappings fit these files:'}{' '}
          {fitting.slice(0, 3).map((p) => (
            <button key={p.name} type="button" className="btn small" onClick={() => apply(p)}>
              Apply “{p.name}”
            </button>
          ))}{' '}
          Imported without it, the columns and values are read afresh.
        </div>
      )}
      {replacing && (
        <div className="notice" role="alert">
          A mapping named “{replacing}” is saved already: replace it with the mapping on screen?{' '}
          <button type="button" className="btn small" onClick={() => void save()}>
            Replace “{replacing}”
          </button>{' '}
          <button type="button" className="btn ghost small" onClick={cancelReplace}>
            Cancel
          </button>
        </div>
      )}
      {extras && (
        <div className="muted small" data-testid="profile-extras">
          {extras}{' '}
          <button type="button" className="btn ghost small" onClick={dropExtras}>
            Drop these
          </button>
        </div>
      )}
    </section>
  );
}
