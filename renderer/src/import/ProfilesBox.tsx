/** The wizard's saved mapping profiles: apply one, or save the mapping on screen under a name. */
import type { MappingProfile } from '../../../shared/import.js';

/** What the profiles box shows and does (from `useProfiles`). */
interface ProfilesState {
  items: MappingProfile[] | undefined;
  profileName: string;
  setProfileName: (name: string) => void;
  apply: (p: MappingProfile) => void;
  save: () => Promise<void>;
  message: string | null;
}

/** The “Mapping profiles” card. */
export function ProfilesBox({ items, profileName, setProfileName, apply, save, message }: ProfilesState) {
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
        {message && <span className="muted small">{message}</span>}
      </div>
    </section>
  );
}
