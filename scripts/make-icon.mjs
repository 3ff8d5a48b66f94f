// Draws the app icon (assets/icon.png, 512x512 RGBA) from plain geometry and
// writes it as a PNG with zlib: a dependency graph whose centre node (the
// change) is highlighted. Run `node scripts/make-icon.mjs` to regenerate.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SS = 4; // supersamples per axis, for smooth edges

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const centre = { x: 256, y: 292, r: 50, fill: hex('#f5a623'), ring: hex('#ffffff') };
const up = [
  { x: 120, y: 132, r: 36 },
  { x: 256, y: 104, r: 36 },
  { x: 392, y: 132, r: 36 },
].map((n) => ({ ...n, fill: hex('#4fd1c5') }));
const down = [
  { x: 148, y: 420, r: 32 },
  { x: 364, y: 420, r: 32 },
].map((n) => ({ ...n, fill: hex('#a9c7f5') }));
const edges = [...up, ...down].map((n) => ({ a: centre, b: n }));
const edgeColour = hex('#8fa9cc');

function inRoundedRect(x, y) {
  const m = 16;
  const r = 104;
  if (x < m || y < m || x > SIZE - m || y > SIZE - m) return false;
  const cx = Math.min(Math.max(x, m + r), SIZE - m - r);
  const cy = Math.min(Math.max(y, m + r), SIZE - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distToSegment(px, py, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

/** The colour at one sample point, or null outside the icon. */
function sample(x, y) {
  if (!inRoundedRect(x, y)) return null;
  // Background: a vertical gradient, dark navy.
  const t = y / SIZE;
  let c = [Math.round(30 - 12 * t), Math.round(58 - 20 * t), Math.round(95 - 30 * t)];
  for (const e of edges) if (distToSegment(x, y, e.a, e.b) <= 8) c = edgeColour;
  for (const n of [...up, ...down]) {
    const d = Math.hypot(x - n.x, y - n.y);
    if (d <= n.r) c = d >= n.r - 7 ? [255, 255, 255] : n.fill;
  }
  const d = Math.hypot(x - centre.x, y - centre.y);
  if (d <= centre.r + 14 && d > centre.r + 6) c = centre.fill; // a halo: "this one changes"
  if (d <= centre.r) c = d >= centre.r - 8 ? centre.ring : centre.fill;
  return c;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a++;
      }
    }
    const o = (py * SIZE + px) * 4;
    if (a > 0) {
      rgba[o] = Math.round(r / a);
      rgba[o + 1] = Math.round(g / a);
      rgba[o + 2] = Math.round(b / a);
      rgba[o + 3] = Math.round((255 * a) / (SS * SS));
    }
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../assets/icon.png', import.meta.url);
writeFileSync(out, png);
process.stdout.write(`wrote ${out.pathname} (${png.length} bytes)\n`);
