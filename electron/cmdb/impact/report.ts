/**
 * Change assessment reports: Markdown, printable HTML (one self-contained
 * file, inline CSS, no external resource, every value escaped), CSV (one row
 * per impacted CI) and JSON (the whole assessment).
 */
import { toCsv } from '../../../shared/csv.js';
import type { ChangeDetail, ExportFormat, ImpactCi, PathStep } from '../../../shared/impact.js';
import { assertNever } from '../../../shared/errors.js';

/** Markdown and HTML list at most this many impacted CIs; CSV and JSON list all. */
export const REPORT_ROW_CAP = 2000;

export const RISK_RULE =
  'Risk is the highest over the CIs that go down or are degraded: a critical CI down is critical; a high CI down or a critical one degraded is high; a medium CI down or a high one degraded is medium; anything else impacted is low. The changed CIs count as degraded: their outage is the planned part of the change.';

export function renderReport(
  d: ChangeDetail,
  format: ExportFormat,
  generatedAt: string,
): { filename: string; mime: string; content: string } {
  const base = `change-${slug(d.change.ref)}`;
  switch (format) {
    case 'markdown':
      return { filename: `${base}.md`, mime: 'text/markdown; charset=utf-8', content: markdown(d, generatedAt) };
    case 'html':
      return { filename: `${base}.html`, mime: 'text/html; charset=utf-8', content: html(d, generatedAt) };
    case 'csv':
      return { filename: `${base}.csv`, mime: 'text/csv; charset=utf-8', content: csv(d) };
    case 'json':
      return { filename: `${base}.json`, mime: 'application/json', content: `${JSON.stringify({ generatedAt, ...d }, null, 2)}\n` };
    default:
      return assertNever(format, 'export format');
  }
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'change';
}

/**
 * How the impact travelled, each arrow in the relationship's own direction:
 * `db <-[depends_on]- app <-[depends_on]- svc` reads "app depends on db, svc
 * depends on app"; `node -[member_of]-> cluster` reads "node is a member of cluster".
 */
export function pathText(path: PathStep[]): string {
  return path
    .map((s, i) => (i === 0 ? s.key : s.forward === false ? `<-[${s.rel ?? ''}]- ${s.key}` : `-[${s.rel ?? ''}]-> ${s.key}`))
    .join(' ');
}

function csv(d: ChangeDetail): string {
  const header = ['key', 'name', 'type', 'owner', 'criticality', 'state', 'depth', 'changed', 'path'];
  const rows = d.current.impacted.map((c) => [
    c.key,
    c.name,
    c.type,
    c.owner,
    c.criticality,
    c.state,
    c.depth,
    c.changed,
    pathText(c.path),
  ]);
  return toCsv([header, ...rows], { newline: '\r\n' });
}

function mdEscape(s: string | null | undefined): string {
  // Enough to keep data from becoming markup (emphasis, links, HTML, table cells); the rest reads as typed.
  return (s ?? '').replace(/[\\`*_{}[\]<|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function diffLines(d: ChangeDetail): string[] {
  const x = d.diff;
  if (!x.changed) return ['No difference: the analysis run now gives the result saved with the change.'];
  const out: string[] = [];
  if (x.riskFrom !== x.riskTo) out.push(`Risk was ${x.riskFrom}, is now ${x.riskTo}.`);
  if (x.missingKeys.length) out.push(`Changed CIs no longer in the CMDB: ${x.missingKeys.join(', ')}.`);
  if (x.added.length)
    out.push(
      `Newly impacted (${x.added.length}): ${x.added
        .slice(0, 50)
        .map((a) => `${a.key} (${a.state})`)
        .join(', ')}${x.added.length > 50 ? ', ...' : ''}`,
    );
  if (x.removed.length)
    out.push(
      `No longer impacted (${x.removed.length}): ${x.removed
        .slice(0, 50)
        .map((a) => `${a.key} (was ${a.state})`)
        .join(', ')}${x.removed.length > 50 ? ', ...' : ''}`,
    );
  if (x.stateChanged.length)
    out.push(
      `State changed (${x.stateChanged.length}): ${x.stateChanged
        .slice(0, 50)
        .map((a) => `${a.key} ${a.from} -> ${a.to}`)
        .join(', ')}${x.stateChanged.length > 50 ? ', ...' : ''}`,
    );
  return out;
}

function markdown(d: ChangeDetail, generatedAt: string): string {
  const c = d.change;
  const r = d.current;
  const rows = r.impacted.slice(0, REPORT_ROW_CAP);
  const lines: string[] = [
    `# Change ${mdEscape(c.ref)}: ${mdEscape(c.title)}`,
    '',
    `- **Risk:** ${r.risk.level.toUpperCase()}`,
    `- **Planned window:** ${mdEscape(c.window) || 'not set'}`,
    `- **Changed CIs:** ${r.changed.map((x) => `${mdEscape(x.key)} (${mdEscape(x.name)})`).join(', ') || 'none'}`,
    `- **Impact:** ${r.counts.down} down, ${r.counts.degraded} degraded`,
    `- **Assessed:** saved ${c.updatedAt}, re-evaluated ${generatedAt}`,
    '',
  ];
  if (c.description) lines.push('## Description', '', mdEscape(c.description), '');
  lines.push('## Why this risk', '', ...r.risk.reasons.map((x) => `- ${mdEscape(x)}`), '', `_${mdEscape(RISK_RULE)}_`, '');
  lines.push('## Since it was saved', '', ...diffLines(d).map((x) => `- ${mdEscape(x)}`), '');
  lines.push('## Business services impacted', '');
  if (r.businessServices.length === 0) lines.push('None.', '');
  else {
    lines.push('| Service | Key | State | Owner | Criticality |', '| --- | --- | --- | --- | --- |');
    for (const b of r.businessServices)
      lines.push(`| ${mdEscape(b.name)} | ${mdEscape(b.key)} | ${b.state} | ${mdEscape(b.owner)} | ${mdEscape(b.criticality)} |`);
    lines.push('');
  }
  lines.push('## Owners to notify', '', '| Owner | Down | Degraded |', '| --- | --- | --- |');
  for (const o of r.owners) lines.push(`| ${o.owner === null ? '_no owner_' : mdEscape(o.owner)} | ${o.down} | ${o.degraded} |`);
  lines.push('', '## By type', '', '| Type | Down | Degraded |', '| --- | --- | --- |');
  for (const t of r.counts.byType) lines.push(`| ${mdEscape(t.type)} | ${t.down} | ${t.degraded} |`);
  lines.push('', '## By criticality', '', '| Criticality | Down | Degraded |', '| --- | --- | --- |');
  for (const t of r.counts.byCriticality)
    lines.push(`| ${t.criticality === null ? '_not set_' : mdEscape(t.criticality)} | ${t.down} | ${t.degraded} |`);
  lines.push(
    '',
    `## Impacted CIs (${r.counts.total})`,
    '',
    '| State | Key | Name | Type | Owner | Criticality | Depth | Path |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const i of rows) {
    lines.push(
      `| ${i.changed ? 'changed' : i.state} | ${mdEscape(i.key)} | ${mdEscape(i.name)} | ${mdEscape(i.type)} | ${mdEscape(i.owner)} | ${mdEscape(i.criticality)} | ${i.depth} | ${mdEscape(pathText(i.path))} |`,
    );
  }
  if (r.counts.total > rows.length)
    lines.push('', `${r.counts.total - rows.length} more impacted CIs are not listed here; export as CSV for all of them.`);
  lines.push('', `Relationship types followed: ${r.types.join(', ')}${r.depthLimit !== null ? `; depth limit ${r.depthLimit}` : ''}.`, '');
  return lines.join('\n');
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(s: string | number | null | undefined): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);
}

const RISK_COLOURS: Record<string, string> = {
  none: '#4b5563',
  low: '#166534',
  medium: '#92400e',
  high: '#b45309',
  critical: '#b91c1c',
};

function htmlPath(i: ImpactCi): string {
  return i.path
    .map((s, n) => (n === 0 ? `<b>${esc(s.key)}</b>` : ` <span class="rel">&rarr; ${esc(s.rel)} &rarr;</span> <b>${esc(s.key)}</b>`))
    .join('');
}

function html(d: ChangeDetail, generatedAt: string): string {
  const c = d.change;
  const r = d.current;
  const rows = r.impacted.slice(0, REPORT_ROW_CAP);
  const table = (head: string[], body: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body
      .map((row) => `<tr>${row.map((x) => `<td>${x}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const stateBadge = (s: string, changed = false) => `<span class="st st-${esc(s)}">${changed ? 'changed' : esc(s)}</span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Change ${esc(c.ref)}: ${esc(c.title)}</title>
<style>
  body { font: 13px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #111827; margin: 24px; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 22px 0 6px; border-bottom: 1px solid #d1d5db; padding-bottom: 2px; }
  .meta { color: #374151; } .meta td { padding: 1px 12px 1px 0; border: 0; }
  .risk { display: inline-block; padding: 4px 12px; color: #fff; font-weight: 700; border-radius: 4px; letter-spacing: .05em; -webkit-print-color-adjust: exact; print-color-adjust: exact; background: ${RISK_COLOURS[r.risk.level]}; }
  table { border-collapse: collapse; width: 100%; margin: 4px 0; } th, td { border: 1px solid #d1d5db; padding: 3px 6px; text-align: left; vertical-align: top; }
  th { background: #f3f4f6; } tr { page-break-inside: avoid; }
  .st { font-weight: 600; } .st-down { color: #b91c1c; } .st-degraded { color: #b45309; }
  .rel { color: #6b7280; font-size: 11px; } .note { color: #4b5563; font-size: 12px; }
  .desc { white-space: pre-wrap; }
  @media print { body { margin: 10mm; } h2 { page-break-after: avoid; } thead { display: table-header-group; } }
</style>
</head>
<body>
<h1>Change ${esc(c.ref)}: ${esc(c.title)}</h1>
<p><span class="risk">RISK: ${esc(r.risk.level.toUpperCase())}</span></p>
<table class="meta"><tbody>
<tr><td>Planned window</td><td>${esc(c.window) || 'not set'}</td></tr>
<tr><td>Changed CIs</td><td>${r.changed.map((x) => `${esc(x.name)} (${esc(x.key)})`).join(', ') || 'none'}</td></tr>
<tr><td>Impact</td><td>${r.counts.down} down, ${r.counts.degraded} degraded, ${r.businessServices.length} business service(s)</td></tr>
<tr><td>Assessed</td><td>saved ${esc(c.updatedAt)}, re-evaluated ${esc(generatedAt)}</td></tr>
</tbody></table>
${c.description ? `<h2>Description</h2><p class="desc">${esc(c.description)}</p>` : ''}
<h2>Why this risk</h2>
<ul>${r.risk.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>
<p class="note">${esc(RISK_RULE)}</p>
<h2>Since it was saved</h2>
<ul>${diffLines(d)
    .map((x) => `<li>${esc(x)}</li>`)
    .join('')}</ul>
<h2>Business services impacted</h2>
${
  r.businessServices.length === 0
    ? '<p>None.</p>'
    : table(
        ['Service', 'Key', 'State', 'Owner', 'Criticality'],
        r.businessServices.map((b) => [esc(b.name), esc(b.key), stateBadge(b.state), esc(b.owner), esc(b.criticality)]),
      )
}
<h2>Owners to notify</h2>
${table(
  ['Owner', 'Down', 'Degraded'],
  r.owners.map((o) => [o.owner === null ? '<i>no owner</i>' : esc(o.owner), String(o.down), String(o.degraded)]),
)}
<h2>By type and criticality</h2>
${table(
  ['Type', 'Down', 'Degraded'],
  r.counts.byType.map((t) => [esc(t.type), String(t.down), String(t.degraded)]),
)}
${table(
  ['Criticality', 'Down', 'Degraded'],
  r.counts.byCriticality.map((t) => [t.criticality === null ? '<i>not set</i>' : esc(t.criticality), String(t.down), String(t.degraded)]),
)}
<h2>Impacted CIs (${r.counts.total})</h2>
${table(
  ['State', 'CI', 'Type', 'Owner', 'Criticality', 'Depth', 'Path'],
  rows.map((i) => [
    stateBadge(i.state, i.changed),
    `${esc(i.name)}<br><span class="rel">${esc(i.key)}</span>`,
    esc(i.type),
    esc(i.owner),
    esc(i.criticality),
    String(i.depth),
    htmlPath(i),
  ]),
)}
${r.counts.total > rows.length ? `<p class="note">${r.counts.total - rows.length} more impacted CIs are not listed here; export as CSV for all of them.</p>` : ''}
<p class="note">Relationship types followed: ${esc(r.types.join(', '))}${r.depthLimit !== null ? `; depth limit ${r.depthLimit}` : ''}. Generated by CMDB Explorer.</p>
</body>
</html>
`;
}
