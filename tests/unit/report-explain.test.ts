/**
 * Impact reports read the way the relationships run, give each step's
 * reason, count changed CIs apart, say who to notify, and, upstream, list
 * dependencies rather than breakage: in every format, on hand-built answers.
 */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../shared/csv.js';
import { RISK_RULE } from '../../shared/risk.js';
import type { ExportFormat, ImpactResult } from '../../shared/impact.js';
import { analysisSubject, CSV_HEADER, mdEscape, renderReport, renderSubject, reportPieces } from '../../electron/cmdb/impact/report.js';
import { isolated } from '../../shared/bidi.js';
import { htmlText as esc } from '../../shared/html.js';
import { impactSummary } from '../../electron/cli/impact-commands.js';
import { changeDetail, downstreamResult, REDUNDANCY_TEXT, upstreamResult } from './report-fixture.js';

const AT = '2026-12-02T12:00:00Z';
const render = (r: ImpactResult, format: ExportFormat) => renderSubject(analysisSubject(r), format, AT).content;
/** The CSV's rows as cells (the fixture's values hold no comma, quote or line break). */
const csvRows = (text: string) =>
  text
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));

describe('each step reads the way its relationship runs', () => {
  it('Markdown writes Node 01 -[member_of]-> K8s cluster <-[runs_on]- Shop app; CSV and JSON keep the keys', () => {
    const r = downstreamResult();
    expect(render(r, 'markdown')).toContain(
      'Node 01 -\\[member\\_of\\]-> K8s cluster (hard dependency, no redundancy) \\<-\\[runs\\_on\\]- Shop app (hard dependency, no redundancy)',
    );
    const rows = csvRows(render(r, 'csv'));
    const app = rows.find((row) => row[0] === 'app-shop')!;
    expect(app[CSV_HEADER.indexOf('path')]).toBe('node-01 -[member_of]-> cluster-k8s <-[runs_on]- app-shop');
    const json = JSON.parse(render(r, 'json')) as ImpactResult;
    expect(json.impacted[2]!.path.map((s) => s.forward)).toEqual([null, true, false]);
  });

  it('HTML uses the same arrows, escaped, and no longer reads backwards (no → between steps)', () => {
    const html = render(downstreamResult(), 'html');
    expect(html).toContain('<b>Node 01</b> <span class="rel">-[member_of]-&gt;</span> <b>K8s cluster</b>');
    expect(html).toContain('<span class="rel">&lt;-[runs_on]-</span> <b>Shop app</b>');
    expect(html).not.toContain('&rarr;');
    expect(html).not.toContain('→');
  });
});

describe("each step's reason", () => {
  it('a redundancy group step says what was lost and what is still up, in every format', () => {
    const r = downstreamResult();
    expect(render(r, 'markdown')).toContain(`Checkout (${REDUNDANCY_TEXT})`);
    expect(render(r, 'html')).toContain(`(${esc(REDUNDANCY_TEXT)})`);
    const rows = render(r, 'csv').trim().split('\r\n');
    // The why column holds the reason of the step that reached the CI (quoted: it holds a quote and a comma).
    expect(rows.find((l) => l.startsWith('bs-checkout,'))).toContain(toCsv([[REDUNDANCY_TEXT]]).trim());
    expect(rows.find((l) => l.startsWith('cluster-k8s,'))!.endsWith(',"hard dependency, no redundancy",')).toBe(true);
    const json = JSON.parse(render(r, 'json')) as ImpactResult;
    expect(json.impacted[3]!.path[3]!.why?.group?.up).toEqual(['lb-edge-prod-02']);
  });

  it('CSV has a why column after the path', () => {
    expect(render(downstreamResult(), 'csv').split('\r\n')[0]).toBe(
      '\uFEFFkey,name,type,owner,criticality,state,depth,changed,path,why,data_quality',
    );
  });
});

describe('counts: changed apart from down and degraded', () => {
  it('the Impact line and every roll-up table count changed CIs in their own column', () => {
    const md = render(downstreamResult(), 'markdown');
    expect(md).toContain('- **Impact:** 1 changed, 2 down, 1 degraded, 1 business service');
    expect(md).toContain('| Owner | Changed | Down | Degraded |');
    expect(md).toContain('| team-platform | 1 | 1 | 0 |');
    expect(md).toContain('| Type | Changed | Down | Degraded |');
    expect(md).toContain('| server | 1 | 0 | 0 |');
    expect(md).toContain('| Criticality | Changed | Down | Degraded |');
    expect(md).toContain('| _not set_ | 0 | 1 | 0 |');
    expect(md).toContain('## By environment');
    expect(md).toContain('## By location');
    expect(md).toContain('| DC-North | 1 | 1 | 0 |');
    const html = render(downstreamResult(), 'html');
    expect(html).toContain('<td>Impact</td><td>1 changed, 2 down, 1 degraded, 1 business service</td>');
    expect(html).toContain('<th>Changed</th><th>Down</th><th>Degraded</th>');
  });

  it('the changed CI is shown as changed, the others by state', () => {
    const md = render(downstreamResult(), 'markdown');
    expect(md).toContain('| changed | node-01 |');
    expect(md).toContain('| down | cluster-k8s |');
  });

  it('unknown criticality is said once, in the engine’s reason naming the CIs, and the rule is the shared one', () => {
    const r = downstreamResult();
    const reason = '1 impacted CI has no known criticality (1 down), so its risk is not assessed: 1 not set. The CI: Shop app (app-shop).';
    r.risk.reasons.unshift(reason);
    const md = render(r, 'markdown');
    // Found by a change manager: said three times (a header row, the reason, a "Not counted" line), naming no CI.
    expect(md.split('no known criticality')).toHaveLength(2);
    expect(md).toContain(`## Why this risk\n\n- ${reason}\n`);
    expect(md).not.toMatch(/risk unknown for|Unknown criticality|Not counted/);
    const html = render(r, 'html');
    expect(html.split('no known criticality')).toHaveLength(2);
    expect(html).not.toMatch(/risk unknown for|Unknown criticality|Not counted/);
    expect(html).toContain(esc(RISK_RULE));
  });
});

describe('who to notify', () => {
  it('Markdown and HTML list each team, the field that names it, its counts and its CIs by name and key, as text', () => {
    const md = render(downstreamResult(), 'markdown');
    expect(md).toContain('## Who to notify');
    expect(md).toContain('| Team | Field | Changed | Down | Degraded | Impacted CIs |');
    expect(md).toContain('| team-platform | owner | 1 | 1 | 0 | Node 01 (node-01), K8s cluster (cluster-k8s) |');
    expect(md).toContain('| SG \\<Ops> | support\\_group | 0 | 1 | 1 | Shop app (app-shop), Checkout (bs-checkout) |');
    const html = render(downstreamResult(), 'html');
    expect(html).toContain('<h2>Who to notify</h2>');
    expect(html).toContain(
      '<td>SG &lt;Ops&gt;</td><td>support_group</td><td>0</td><td>1</td><td>1</td><td>Shop app (app-shop), Checkout (bs-checkout)</td>',
    );
  });

  it('says for how many impacted CIs nobody is named, in Markdown and HTML (found by a change manager)', () => {
    const r = downstreamResult();
    r.noContact = { fields: ['owner'], changed: 0, down: 1, degraded: 0, cis: [{ key: 'app-hr', name: 'HR <Portal>' }] };
    const text = 'Nobody to notify for 1 impacted CI (0 changed, 1 down, 0 degraded), no owner set on it: HR <Portal> (app-hr).';
    expect(render(r, 'markdown')).toContain(`## Who to notify\n\n${text.replace('<', '\\<')}\n`);
    expect(render(r, 'html')).toContain(`<p>${esc(text)}</p>`);
    r.notify = [];
    expect(render(r, 'markdown')).toContain(`No team is named on the impacted CIs.\n\n${text.replace('<', '\\<')}\n`);
  });

  it('says how many more CIs a team has than its list shows', () => {
    const r = downstreamResult();
    r.notify![0]!.keys = ['node-01'];
    expect(render(r, 'markdown')).toContain('| Node 01 (node-01) and 1 more |');
  });
});

describe('bidi controls in the data (found by a security review)', () => {
  it('read as \\u202e in Markdown and HTML: a right-to-left override in one name does not reverse the names after it', () => {
    // Every "Node 01" of the answer (the CI, its path steps, its notify entry) named "Node <RLO>01".
    const r = JSON.parse(JSON.stringify(downstreamResult()).replaceAll('Node 01', 'Node \u202e01')) as ImpactResult;
    const md = render(r, 'markdown');
    expect(md).toContain('| team-platform | owner | 1 | 1 | 0 | Node \\u202e01 (node-01), K8s cluster (cluster-k8s) |');
    const html = render(r, 'html');
    expect(html).toContain('<td>Node \\u202e01 (node-01), K8s cluster (cluster-k8s)</td>');
    expect(html).toContain('<b>Node \\u202e01</b> <span class="rel">');
    for (const text of [md, html]) expect(text).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  it('every mark, embedding, override and isolate is escaped, once, by the Markdown and HTML escapers', () => {
    const controls = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    const shown = '\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069';
    expect(mdEscape(`a${controls}b`)).toBe(`a${shown}b`);
    expect(esc(`a${controls}<b>`)).toBe(`a${shown}&lt;b&gt;`);
    // A backslash of the data is escaped for Markdown; the escape's own is not.
    expect(mdEscape('C:\\x \u202e')).toBe('C:\\\\x \\u202e');
    // A character reference of the data stays text: a renderer would turn &#x202e; into the override itself (found by a tester).
    expect(mdEscape('Invoice &#x202e;fdp.exe AT&amp;T')).toBe('Invoice \\&#x202e;fdp.exe AT\\&amp;T');
    // Keys that differ by an invisible character read apart, as on the terminal; the joiners of Persian and emoji text stay.
    expect(mdEscape('srv\u200b-01 srv\u2060-02 srv\ufeff-03')).toBe('srv\\u200b-01 srv\\u2060-02 srv\\ufeff-03');
    expect(esc('srv\u200b-01')).toBe('srv\\u200b-01');
    expect(esc('سرویس\u200cها 👩\u200d💻')).toBe('سرویس\u200cها 👩\u200d💻');
  });

  it("the app's tooltips isolate a name that could reorder its neighbours, and leave others as typed", () => {
    expect(isolated('abc\u202egpj.exe')).toBe('\u2068abc\u202egpj.exe\u2069');
    expect(isolated('שרת תשלומים')).toBe('\u2068שרת תשלומים\u2069');
    expect(isolated('Payroll API (b-svc)')).toBe('Payroll API (b-svc)');
  });
});

describe('upstream reads as dependencies, not breakage', () => {
  it('titles "What X depends on", lists every single point of failure, and has no risk or notify', () => {
    for (const format of ['markdown', 'html'] as const) {
      const text = render(upstreamResult(), format);
      expect(text).toContain('What Checkout (bs-checkout) depends on');
      expect(text).toContain('Single points of failure (1)');
      expect(text).toContain('single point of failure');
      expect(text).toContain('dependency');
      expect(text).toContain('1 single point of failure, 1 other dependency');
      expect(text).not.toMatch(/risk/i);
      expect(text).not.toMatch(/notify|By owner/i);
    }
    const md = render(upstreamResult(), 'markdown');
    expect(md).toContain('| single point of failure | db-orders |');
    expect(md).toContain('| dependency | lb-edge-prod-01 |');
    expect(md).toContain('Checkout -\\[depends\\_on\\]-> Edge LB 1 (redundancy group "edge": 2 members, needs 1)');
  });
});

describe('saved change and unsaved analysis', () => {
  it('an analysis not saved is titled by its CIs, with no change fields', () => {
    const md = renderSubject(analysisSubject(downstreamResult()), 'markdown', AT);
    expect(md.filename).toBe('impact-node-01.md');
    expect(md.content.startsWith('# Impact of Node 01 (node-01)\n')).toBe(true);
    expect(md.content).not.toContain('Planned window');
    expect(md.content).not.toContain('Since it was saved');
    const json = JSON.parse(renderSubject(analysisSubject(downstreamResult()), 'json', AT).content) as {
      generatedAt: string;
      counts: unknown;
    };
    expect(json.generatedAt).toBe(AT);
    expect(json.counts).toEqual(downstreamResult().counts);
  });

  it('a saved change keeps its reference, window and what changed since it was saved', () => {
    const md = renderReport(changeDetail(), 'markdown', AT);
    expect(md.filename).toBe('change-CHG0001.md');
    expect(md.content).toContain('# Change CHG0001: Patch node-01');
    expect(md.content).toContain('- **Planned window:** Sun 02:00-03:00');
    expect(md.content).toContain('## Since it was saved');
    const html = renderReport(changeDetail(), 'html', AT).content;
    expect(html).toContain('<h1>Change CHG0001: Patch node-01</h1>');
    expect(html).toContain('RISK: HIGH');
  });

  it('CSV is made a few hundred rows at a time, and the pieces make the whole file', () => {
    const r = downstreamResult();
    const one = r.impacted[1]!;
    r.impacted = Array.from({ length: 1234 }, (_, n) => ({ ...one, key: `ci-${n}` }));
    const pieces = [...reportPieces(analysisSubject(r), 'csv', AT)];
    expect(pieces.length).toBe(4);
    const whole = render(r, 'csv');
    expect(pieces.join('')).toBe(whole);
    expect(whole.trim().split('\r\n')).toHaveLength(1235);
  });

  it('an answer saved before reasons, notify and roll-ups existed still renders, without them', () => {
    const r = downstreamResult();
    for (const i of r.impacted) i.path = i.path.map(({ why: _why, forward: _forward, ...step }) => step);
    delete r.notify;
    delete r.counts.byEnvironment;
    delete r.counts.byAttribute;
    delete r.risk.unknown;
    const md = render(r, 'markdown');
    expect(md).not.toContain('Who to notify');
    expect(md).not.toContain('By environment');
    expect(md).toContain('Node 01 -\\[member\\_of\\]-> K8s cluster -\\[runs\\_on\\]-> Shop app |');
    const rows = render(r, 'csv').trim().split('\r\n');
    expect(rows.find((l) => l.startsWith('app-shop,'))!.endsWith(',node-01 -[member_of]-> cluster-k8s -[runs_on]-> app-shop,,')).toBe(true);
  });
});

describe('a change of thousands of CIs', () => {
  it('names the first ten in the heading and counts the rest, in the reports and on the terminal', () => {
    const r = downstreamResult();
    r.changed = Array.from({ length: 3000 }, (_, i) => ({
      key: `vm-${i}`,
      name: `VM ${i}`,
      type: 'server',
      owner: null,
      criticality: null,
    }));
    const named = Array.from({ length: 10 }, (_, i) => `VM ${i} (vm-${i})`).join(', ');
    expect(render(r, 'markdown').split('\n')[0]).toBe(`# Impact of ${named} and 2,990 more`);
    expect(render(r, 'html')).toContain(`<title>Impact of ${named} and 2,990 more</title>`);
    expect(impactSummary(r)[0]).toBe(`Impact of ${named} and 2,990 more going down`);
    expect(impactSummary({ ...r, direction: 'upstream' })[0]).toBe(`What ${named} and 2,990 more depend on`);
  });
});

describe('an answer with nothing impacted', () => {
  it('says "None." where a table would have no rows, in Markdown and HTML', () => {
    const r = downstreamResult();
    r.changed = [];
    r.impacted = [];
    r.owners = [];
    r.counts = { ...r.counts, changed: 0, down: 0, degraded: 0, total: 0, byType: [], byCriticality: [] };
    r.businessServices = [];
    r.notify = [];
    const md = render(r, 'markdown');
    expect(md).toContain('## By owner\n\nNone.\n');
    expect(md).toContain('## By type\n\nNone.\n');
    expect(md).not.toMatch(/^\| Owner \|/m);
    expect(render(r, 'html')).toContain('<h2>By owner</h2>\n<p>None.</p>');
  });
});

describe('a long value without a space in the printable report (found by a tester: a printed report ran off the page)', () => {
  it('is in a span that may break anywhere (.run); words of up to 40 characters and the other formats are as they were', () => {
    const r = downstreamResult();
    r.impacted[1] = { ...r.impacted[1]!, name: 'x'.repeat(40) };
    r.impacted[2] = { ...r.impacted[2]!, name: `${'N'.repeat(20_000)}<&>` };
    const html = render(r, 'html');
    expect(html).toContain(`<td><span class="run">${'N'.repeat(20_000)}&lt;&amp;&gt;</span></td>`);
    expect(html).toContain('.run { white-space: normal; overflow-wrap: anywhere; }');
    // Shorter words wrap at spaces only, as before: a table keeps each column as wide as its longest word.
    expect(html).toContain(`<td>${'x'.repeat(40)}</td>`);
    expect(html).toContain('<td>Node 01</td>');
    expect(render(r, 'markdown')).not.toContain('class="run"');
  });

  it('in the title: the heading may break, the page title is plain text', () => {
    const r = downstreamResult();
    const long = 'T'.repeat(100);
    r.changed = [{ ...r.changed[0]!, name: long }];
    const html = render(r, 'html');
    expect(html).toMatch(new RegExp(`<title>[^<]*${long}[^<]*</title>`));
    expect(html).toMatch(new RegExp(`<h1>[^<]*<span class="run">${long}[^<]*</span>`));
  });
});
