// glyphs.mjs writes the land map's label glyphs at build time: signed-distance-field glyph
// ranges in MapLibre's glyph protobuf (the format fontnik writes: 24 px glyphs, a 3 px border,
// radius 8, cutoff 0.25), one file per range of 256 code points, dist/glyphs/START-END.pbf
// (+ .gz), served by landinv at /glyphs/{fontstack}/{range}.pbf.
//
// What is generated and why: only the non-CJK ranges the labels use (Latin, Latin-1, Latin
// Extended-A, general punctuation, letter-like symbols, arrows and maths, geometric shapes).
// Chinese characters are drawn by MapLibre itself from the reader's local CJK font
// (localIdeographFontFamily, TinySDF in the page): the CJK Unified Ideographs alone are 82
// ranges, ~12 MB of SDF glyphs, for ~100 characters the names use; the names come from the
// database and change, so a subset cut from today's names would miss tomorrow's. Every glyph
// goes through the same symbol layers, so collision detection and priorities treat both
// scripts alike. fontnik (native) is not used: its install downloads a prebuilt binary from
// outside the package registry. opentype.js reads the font, this file rasterises each outline
// (nonzero winding, 4×4 samples a pixel) and computes the distance field (Felzenszwalb and
// Huttenlocher's transform, as @mapbox/tiny-sdf does), pbf writes the protobuf.
//
// The font: $LANDINV_GLYPH_FONT, else Noto Sans CJK SC Regular (Debian's fonts-noto-cjk, whose
// Latin glyphs match the Chinese ones; the Makefile installs it), else DejaVu Sans.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import opentype from 'opentype.js';
import { PbfWriter } from 'pbf';

export const RANGES = [0, 256, 512, 768, 8192, 8448, 8704, 9472];
const SIZE = 24; const BORDER = 3; const RADIUS = 8; const CUTOFF = 0.25; const SS = 4;

const CANDIDATES = [
  process.env.LANDINV_GLYPH_FONT,
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
].filter(Boolean);

// fromCollection cuts font number index out of a TrueType/OpenType collection (.ttc), which
// opentype.js does not read: the font's table directory, with its tables copied after it.
function fromCollection(buf, want) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = dv.getUint32(8);
  const at = dv.getUint32(12 + 4 * Math.min(want, n - 1));
  const tables = dv.getUint16(at + 4);
  const recs = [];
  for (let i = 0; i < tables; i++) {
    const r = at + 12 + 16 * i;
    recs.push({ rec: r, off: dv.getUint32(r + 8), len: dv.getUint32(r + 12) });
  }
  let size = 12 + 16 * tables;
  for (const r of recs) size += (r.len + 3) & ~3;
  const out = new Uint8Array(size);
  const odv = new DataView(out.buffer);
  out.set(buf.subarray(at, at + 12 + 16 * tables), 0);
  let pos = 12 + 16 * tables;
  recs.forEach((r, i) => {
    out.set(buf.subarray(r.off, r.off + r.len), pos);
    odv.setUint32(12 + 16 * i + 8, pos);
    pos += (r.len + 3) & ~3;
  });
  return out.buffer;
}

function loadFont() {
  for (const p of CANDIDATES) {
    if (!existsSync(p)) continue;
    const buf = readFileSync(p);
    // Noto Sans CJK's collection holds JP, KR, SC, TC, HK in this order: SC is number 2.
    const ab = buf.subarray(0, 4).toString('latin1') === 'ttcf' ? fromCollection(buf, 2) : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
    return { font: opentype.parse(ab), file: p };
  }
  throw new Error('glyphs: no font found (install fonts-noto-cjk or set LANDINV_GLYPH_FONT)');
}

// edges flattens a glyph's outline into line segments (pixel units, y down from the baseline).
function edges(path) {
  const out = []; let sx = 0; let sy = 0; let x = 0; let y = 0;
  const line = (x1, y1) => { if (y1 !== y) out.push([x, y, x1, y1]); x = x1; y = y1; };
  for (const c of path.commands) {
    if (c.type === 'M') { if (x !== sx || y !== sy) line(sx, sy); sx = x = c.x; sy = y = c.y; } else if (c.type === 'L') line(c.x, c.y);
    else if (c.type === 'Q' || c.type === 'C') {
      const x0 = x; const y0 = y;
      for (let i = 1; i <= 8; i++) {
        const t = i / 8; const u = 1 - t;
        if (c.type === 'Q') line(u * u * x0 + 2 * u * t * c.x1 + t * t * c.x, u * u * y0 + 2 * u * t * c.y1 + t * t * c.y);
        else line(u * u * u * x0 + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x, u * u * u * y0 + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y);
      }
    } else if (c.type === 'Z') line(sx, sy);
  }
  if (x !== sx || y !== sy) line(sx, sy);
  return out;
}

// coverage rasterises segments into w × h alphas (0..1), pixel (0, 0) at (x0, y0).
function coverage(segs, x0, y0, w, h) {
  const a = new Float32Array(w * h);
  for (let sy = 0; sy < h * SS; sy++) {
    const yy = y0 + (sy + 0.5) / SS;
    const xs = [];
    for (const [ax, ay, bx, by] of segs) {
      if ((ay <= yy) === (by <= yy)) continue;
      xs.push([ax + (yy - ay) / (by - ay) * (bx - ax), by > ay ? 1 : -1]);
    }
    xs.sort((p, q) => p[0] - q[0]);
    let wind = 0; const row = Math.floor(sy / SS) * w;
    for (let i = 0; i < xs.length - 1; i++) {
      wind += xs[i][1];
      if (!wind) continue;
      // samples whose centre lies in [xs[i], xs[i+1])
      const from = Math.max(0, Math.ceil((xs[i][0] - x0) * SS - 0.5)); const to = Math.min(w * SS, Math.ceil((xs[i + 1][0] - x0) * SS - 0.5));
      for (let s = from; s < to; s++) a[row + Math.floor(s / SS)] += 1 / (SS * SS);
    }
  }
  return a;
}

const INF = 1e20;
function edt1d(grid, offset, stride, length, f, v, z) {
  v[0] = 0; z[0] = -INF; z[1] = INF; f[0] = grid[offset];
  for (let q = 1, k = 0, s = 0; q < length; q++) {
    f[q] = grid[offset + q * stride];
    const q2 = q * q;
    do { const r = v[k]; s = (f[q] - f[r] + q2 - r * r) / (q - r) / 2; } while (s <= z[k] && --k > -1);
    k++; v[k] = q; z[k] = s; z[k + 1] = INF;
  }
  for (let q = 0, k = 0; q < length; q++) {
    while (z[k + 1] < q) k++;
    const r = v[k]; const qr = q - r;
    grid[offset + q * stride] = f[r] + qr * qr;
  }
}
function edt(data, width, height) {
  const n = Math.max(width, height);
  const f = new Float64Array(n); const v = new Uint16Array(n); const z = new Float64Array(n + 1);
  for (let x = 0; x < width; x++) edt1d(data, x, width, height, f, v, z);
  for (let y = 0; y < height; y++) edt1d(data, y * width, 1, width, f, v, z);
}

// sdf returns one glyph: metrics in pixels at 24 px and its distance field with the border.
function sdf(font, glyph, cp) {
  const scale = SIZE / font.unitsPerEm;
  const advance = Math.round(glyph.advanceWidth * scale);
  const path = glyph.getPath(0, 0, SIZE);
  const segs = edges(path);
  if (!segs.length) return { id: cp, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: -26, advance };
  let xMin = Infinity; let yMin = Infinity; let xMax = -Infinity; let yMax = -Infinity;
  for (const [ax, ay, bx, by] of segs) { xMin = Math.min(xMin, ax, bx); xMax = Math.max(xMax, ax, bx); yMin = Math.min(yMin, ay, by); yMax = Math.max(yMax, ay, by); }
  const left = Math.floor(xMin); const topY = Math.floor(yMin);
  const w = Math.ceil(xMax) - left; const h = Math.ceil(yMax) - topY;
  const a = coverage(segs, left, topY, w, h);
  const W = w + 2 * BORDER; const H = h + 2 * BORDER;
  const outer = new Float64Array(W * H).fill(INF); const inner = new Float64Array(W * H);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = Math.min(1, a[y * w + x]); if (c <= 0) continue;
      const j = (y + BORDER) * W + x + BORDER;
      if (c >= 1) { outer[j] = 0; inner[j] = INF; } else { const d = 0.5 - c; outer[j] = d > 0 ? d * d : 0; inner[j] = d < 0 ? d * d : 0; }
    }
  }
  edt(outer, W, H); edt(inner, W, H);
  const bitmap = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const d = Math.sqrt(outer[i]) - Math.sqrt(inner[i]);
    bitmap[i] = Math.max(0, Math.min(255, Math.round(255 - 255 * (d / RADIUS + CUTOFF))));
  }
  // top: the glyph's top above the baseline, less MapLibre's ascender offset (the same
  // adjustment its local CJK glyphs get), so that both scripts share one baseline.
  return { id: cp, bitmap, width: w, height: h, left, top: -topY - 27, advance };
}

// writeGlyphs writes every range into outDir and returns the font file used.
export function writeGlyphs(outDir, stack) {
  const { font, file } = loadFont();
  mkdirSync(outDir, { recursive: true });
  for (const start of RANGES) {
    const range = `${start}-${start + 255}`;
    const pbf = new PbfWriter();
    pbf.writeMessage(1, (_, p) => {
      p.writeStringField(1, stack);
      p.writeStringField(2, range);
      for (let cp = start; cp <= start + 255; cp++) {
        const g = font.charToGlyph(String.fromCodePoint(cp));
        if (!g || g.index === 0) continue;
        const s = sdf(font, g, cp);
        p.writeMessage(3, (gl, q) => {
          q.writeVarintField(1, gl.id);
          if (gl.bitmap.length) q.writeBytesField(2, gl.bitmap);
          q.writeVarintField(3, gl.width); q.writeVarintField(4, gl.height);
          q.writeSVarintField(5, gl.left); q.writeSVarintField(6, gl.top);
          q.writeVarintField(7, gl.advance);
        }, s);
      }
    });
    const b = pbf.finish();
    writeFileSync(join(outDir, range + '.pbf'), b);
    writeFileSync(join(outDir, range + '.pbf.gz'), gzipSync(b, { level: 9 }));
  }
  return file;
}
