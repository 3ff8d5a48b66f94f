/**
 * Impact: until the impact engine's methods are in the contract, this screen
 * shows how impact propagates in this CMDB (relationship types, direction,
 * strength) and opens what depends on a CI in the graph.
 */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import type { Stats } from '../../../shared/domain.js';
import { cmdb } from '../api.js';
import { ErrorBox, formatCount, Skeleton, useAsync } from '../ui/common.js';

const impactMethods = Object.keys(api).filter((m) => /impact/i.test(m));

function requestFields(method: string): string[] {
  const schema = (api as unknown as Record<string, { request: { shape?: Record<string, unknown> } }>)[method]?.request;
  return schema?.shape ? Object.keys(schema.shape) : [];
}

export function ImpactView({ stats, selected, onGraph }: { stats: Stats; selected: string | null; onGraph: (key: string) => void }) {
  const [types, reload] = useAsync(() => cmdb.getTypes({}), []);
  const [key, setKey] = useState(selected ?? '');
  return (
    <div className="page">
      <h1>Impact</h1>
      {impactMethods.length > 0 ? (
        <section className="card" aria-label="Impact API">
          <h2>What the impact engine offers</h2>
          <table className="simple">
            <thead>
              <tr>
                <th>Method</th>
                <th>Takes</th>
              </tr>
            </thead>
            <tbody>
              {impactMethods.map((m) => (
                <tr key={m}>
                  <td className="mono">{m}</td>
                  <td className="mono">{requestFields(m).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p className="lead">
          Impact analysis (what goes down or is degraded when a CI fails, and why) arrives with the impact feature. Meanwhile, the graph
          shows what depends on a CI, and the table below shows how this CMDB’s relationships carry impact.
        </p>
      )}
      <section className="card" aria-label="What depends on a CI">
        <h2>What depends on a CI</h2>
        <form
          style={{ display: 'flex', gap: 8 }}
          onSubmit={(e) => {
            e.preventDefault();
            if (key.trim()) onGraph(key.trim());
          }}
        >
          <input
            className="input mono"
            style={{ flex: 1 }}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-label="CI key"
            placeholder="CI key, e.g. db-orders"
          />
          <button type="submit" className="btn primary" disabled={!key.trim()}>
            Show dependents in graph
          </button>
        </form>
        <span className="muted">Opens the graph centred on the CI, following “depended on by” three hops out.</span>
      </section>
      <section className="card" aria-label="How relationships carry impact">
        <h2>How relationships carry impact</h2>
        {types.status === 'error' ? (
          <ErrorBox error={types.error} title="Relationship types could not be read" onRetry={reload} />
        ) : !types.data ? (
          <Skeleton rows={5} />
        ) : (
          <table className="simple">
            <thead>
              <tr>
                <th>Type</th>
                <th>Reads</th>
                <th>Who is impacted</th>
                <th>Strength</th>
                <th style={{ textAlign: 'right' }}>Relationships</th>
              </tr>
            </thead>
            <tbody>
              {types.data.relTypes.map((t) => (
                <tr key={t.name}>
                  <td className="mono">
                    {t.name}
                    {t.flagged && (
                      <span className="pill warn" style={{ marginLeft: 6 }} title="Created by an import: review it">
                        review
                      </span>
                    )}
                  </td>
                  <td>A {t.label} B</td>
                  <td>{t.dependent === 'source' ? 'A, when B fails' : 'B, when A fails'}</td>
                  <td>
                    <span className={`pill ${t.strength === 'hard' ? 'danger' : t.strength === 'soft' ? 'warn' : ''}`}>{t.strength}</span>
                  </td>
                  <td style={{ textAlign: 'right' }}>{formatCount(t.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <span className="muted">
          {formatCount(stats.relationships)} relationships between {formatCount(stats.cis)} CIs.
        </span>
      </section>
    </div>
  );
}
