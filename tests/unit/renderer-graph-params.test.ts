import { describe, expect, it } from 'vitest';
import { readGraphParams, specParams, viewSpec } from '../../renderer/src/graph/params.js';

describe('graph view parameters', () => {
  it('defaults: both directions, depth 2, layered, 500 CIs, grouping on, renderer chosen by size, no filters', () => {
    expect(readGraphParams({})).toEqual({
      direction: 'both',
      depth: 2,
      layout: 'layered',
      maxNodes: 500,
      grouping: true,
      webgl: 'auto',
      ciTypes: [],
      relTypes: [],
      groupBy: null,
      expand: [],
    });
  });

  it('reads each parameter', () => {
    expect(
      readGraphParams({
        dir: 'upstream',
        depth: '4',
        layout: 'force',
        max: '2000',
        group: '0',
        gl: '1',
        ct: 'server,database',
        rt: 'runs_on',
        gb: ' owner ',
        gx: '["team-web",null,3]',
      }),
    ).toEqual({
      direction: 'upstream',
      depth: 4,
      layout: 'force',
      maxNodes: 2000,
      grouping: false,
      webgl: 'on',
      ciTypes: ['server', 'database'],
      relTypes: ['runs_on'],
      groupBy: 'owner',
      expand: ['team-web', null],
    });
    expect(readGraphParams({ gl: '0' }).webgl).toBe('off');
    expect(readGraphParams({ dir: 'downstream' }).direction).toBe('downstream');
    expect(readGraphParams({ group: '' }).grouping).toBe(true);
  });

  it('clamps or defaults what is out of bounds or not a number', () => {
    expect(readGraphParams({ depth: '99' }).depth).toBe(10);
    expect(readGraphParams({ depth: '-3' }).depth).toBe(1);
    expect(readGraphParams({ depth: 'deep' }).depth).toBe(2);
    expect(readGraphParams({ depth: '0' }).depth).toBe(2);
    expect(readGraphParams({ max: '1000000' }).maxNodes).toBe(20000);
    expect(readGraphParams({ max: 'lots' }).maxNodes).toBe(500);
    expect(readGraphParams({ dir: 'sideways' }).direction).toBe('both');
    expect(readGraphParams({ layout: 'circle' }).layout).toBe('layered');
    expect(readGraphParams({ gl: 'yes' }).webgl).toBe('auto');
    expect(readGraphParams({ gb: '   ' }).groupBy).toBe(null);
    expect(readGraphParams({ gx: 'not json' }).expand).toEqual([]);
    expect(readGraphParams({ gx: '{"a":1}' }).expand).toEqual([]);
  });

  it('a saved view reopens every setting the toolbar draws with: cap and siblings too', () => {
    const drawn = readGraphParams({
      dir: 'upstream',
      depth: '4',
      layout: 'force',
      max: '100',
      group: '0',
      ct: 'server,database',
      rt: 'runs_on',
      gb: 'owner',
      gx: '["team-a",null]',
    });
    const spec = viewSpec('app-1', drawn);
    expect(spec).toMatchObject({ center: 'app-1', maxNodes: 100, siblings: false });
    // Through the CMDB and back: the spec is stored as JSON.
    const reopened = readGraphParams(specParams(JSON.parse(JSON.stringify(spec)) as typeof spec));
    expect({ ...reopened, webgl: drawn.webgl }).toEqual(drawn);
    // The defaults round-trip too.
    expect(readGraphParams(specParams(viewSpec('app-1', readGraphParams({}))))).toEqual(readGraphParams({}));
  });

  it('a view saved before the cap and siblings were kept reopens with their defaults', () => {
    const old = { center: 'app-1', direction: 'downstream' as const, depth: 3, layout: 'layered' };
    expect(specParams(old)).toEqual({ dir: 'downstream', depth: '3', layout: 'layered' });
    expect(readGraphParams(specParams(old))).toMatchObject({ direction: 'downstream', depth: 3, maxNodes: 500, grouping: true });
  });
});
