import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../../electron/web/static-path.js';

const root = resolve('/srv/app/dist/renderer');

describe('resolveStaticPath', () => {
  it('maps ordinary paths inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/index-abc123.js')).toBe(join(root, 'assets', 'index-abc123.js'));
    expect(resolveStaticPath(root, '/assets/')).toBe(join(root, 'assets', 'index.html'));
    expect(resolveStaticPath(root, '//assets//x.css')).toBe(join(root, 'assets', 'x.css'));
    expect(resolveStaticPath(root, '/ci/host%20one')).toBe(join(root, 'ci', 'host one'));
    expect(resolveStaticPath(root, '/.well-known/x')).toBe(join(root, '.well-known', 'x'));
    expect(resolveStaticPath(root, '/a..b/c')).toBe(join(root, 'a..b', 'c'));
  });

  it.each([
    ['/../package.json'],
    ['/assets/../../package.json'],
    ['/..'],
    ['/.'],
    ['/./index.html'],
    ['/%2e%2e/package.json'],
    ['/%2E%2E/package.json'],
    ['/.%2e/package.json'],
    ['/%2e%2e%2fpackage.json'],
    ['/assets%2f..%2f..%2fpackage.json'],
    ['/%252e%252e/package.json'],
    ['/..\\package.json'],
    ['/assets\\..\\..\\package.json'],
    ['/%5c..%5cpackage.json'],
    ['/C:/Windows/win.ini'],
    ['/c:%5cwindows%5cwin.ini'],
    ['/file.txt::$DATA'],
    ['/.../package.json'],
    ['/.. /package.json'],
    ['/index.html.'],
    ['/index.html%00.png'],
    ['/etc/passwd%0a'],
    ['/%'],
    ['/%zz'],
    ['/%c0%ae%c0%ae/package.json'],
    ['etc/passwd'],
    ['../package.json'],
    [''],
    ['\\\\server\\share\\x'],
  ])('refuses %j', (p) => {
    expect(resolveStaticPath(root, p)).toBeNull();
  });

  it('treats an absolute path in the URL as a path under the root', () => {
    expect(resolveStaticPath(root, '/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(resolveStaticPath(root, '/srv/app/package.json')).toBe(join(root, 'srv', 'app', 'package.json'));
  });

  it('never leaves the root, whatever the input (property)', () => {
    const segment = fc.constantFrom('..', '.', '%2e%2e', '%2e', 'a', 'assets', '%2f', '%5c', '\\', '', 'x.js', '%252e', '..%2f', 'C:');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.string({ maxLength: 12 }), (segs, tail) => {
        const r = resolveStaticPath(root, `/${segs.join('/')}${tail}`);
        return r === null || r.startsWith(root + sep);
      }),
      { numRuns: 2000 },
    );
  });
});
