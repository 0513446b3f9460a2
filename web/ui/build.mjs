// Builds the land map into dist/: esbuild bundles src/boot.js (the first script of the map page:
// it starts the first load's requests while the rest downloads) into assets/boot-HASH.js, src/main.js (with MapLibre GL JS and its CSS)
// into assets/app-HASH.js + app-HASH.css, src/edit.js into assets/edit-HASH.js + edit-HASH.css and
// src/report.js into assets/report-HASH.js + report-HASH.css, src/signin.js into
// assets/signin-HASH.js + signin-HASH.css, and copies MapLibre's worker (as
// maplibre-gl-worker-HASH.mjs), the pages and the icon. The entries share modules (state.js,
// api.js, meta.js...) by import: code splitting puts those into assets/chunk-HASH.js, loaded
// once, so that the map page's app.js and edit.js see one and the same state.
//
// Every asset's name carries the hash of its content (esbuild's [hash]; the worker's and the
// icon's are computed here, the same 8 base32 characters), so the server caches them for a year
// (web/page.go): a new build has new names. index.html and report.html are written from src/
// with the hashed names (from esbuild's metafile) and modulepreload links for the chunks each
// entry imports. Each asset is also written precompressed, name.br (brotli, quality 11) and
// name.gz (gzip -9), which the server sends to clients that accept them. The Go binary embeds
// dist/ (web/page.go).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { writeGlyphs } from './glyphs.mjs';

const require = createRequire(import.meta.url);
const here = dirname(new URL(import.meta.url).pathname);
const out = join(here, 'dist');
for (const f of readdirSync(out, { withFileTypes: true })) {
  if (f.name !== '.placeholder') rmSync(join(out, f.name), { recursive: true, force: true });
}
mkdirSync(join(out, 'assets'), { recursive: true });

// hashed copies src to assets/NAME-HASH.EXT and returns the path the pages use.
const hashed = (src, name, ext) => {
  const b = readFileSync(src);
  // esbuild's hashes are 8 base32 characters (A-Z, 2-7); the same shape here.
  const h = createHash('sha256').update(b).digest();
  let bits = 0n;
  for (const x of h.subarray(0, 5)) bits = (bits << 8n) | BigInt(x);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let hash = '';
  for (let i = 7; i >= 0; i--) hash += alphabet[Number((bits >> BigInt(5 * i)) & 31n)];
  const file = `${name}-${hash}.${ext}`;
  writeFileSync(join(out, 'assets', file), b);
  return `/assets/${file}`;
};

const mlDist = dirname(require.resolve('maplibre-gl/dist/maplibre-gl.mjs'));
const workerURL = hashed(join(mlDist, 'maplibre-gl-worker.mjs'), 'maplibre-gl-worker', 'mjs');
const faviconURL = hashed(join(here, 'src/favicon.svg'), 'favicon', 'svg');
cpSync(join(here, 'src/favicon.svg'), join(out, 'assets/favicon.svg')); // /favicon.ico serves it

const result = await esbuild.build({
  entryPoints: { boot: join(here, 'src/boot.js'), app: join(here, 'src/main.js'), report: join(here, 'src/report.js'), edit: join(here, 'src/edit.js'), signin: join(here, 'src/signin.js') }, // report: the report page (/reports); signin: /signin
  bundle: true, format: 'esm', splitting: true, entryNames: '[name]-[hash]', chunkNames: 'chunk-[hash]', minify: process.env.DEV !== "1", sourcemap: false, target: ['es2022'],
  outdir: join(out, 'assets'), logLevel: 'warning', legalComments: 'eof', metafile: true,
  define: { __WORKER_URL__: JSON.stringify(workerURL) },
});

// The hashed names of each entry's script, style and imported chunks, from the metafile.
const url = (p) => '/' + relative(out, join(here, p)).split('\\').join('/');
const entries = {};
for (const [file, o] of Object.entries(result.metafile.outputs)) {
  if (!o.entryPoint) continue;
  const name = basename(file).replace(/-[A-Z0-9]{8}\.js$/, '');
  entries[name] = { js: url(file), css: o.cssBundle && url(o.cssBundle), chunks: o.imports.filter((i) => i.kind === 'import-statement').map((i) => url(i.path)) };
}

// shell writes the map page's words into its HTML (Chinese, the default language, from
// src/i18n.js's dictionary), so that a slow connection sees a labelled page with its title and a
// loading note before any script has run; the script then writes them again in the reader's
// language. An element with data-t="key" and no content gets the dictionary's Chinese word.
const shell = (html) => {
  const dict = new Map();
  for (const m of readFileSync(join(here, 'src/i18n.js'), 'utf8').matchAll(/^\s*([a-z_0-9]+): \['([^'\\]*)', '/gm)) dict.set(m[1], m[2]);
  const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return html.replace(/(data-t="([a-z_0-9]+)"[^>]*>)(<\/)/g, (all, open, key, close) => (dict.has(key) ? open + esc(dict.get(key)) + close : all))
    .replace('<p id="count-plots" class="count" aria-live="polite"></p>', '<p id="count-plots" class="count" aria-live="polite">正在加载… Loading…</p>');
};

// page writes src/NAME.html into dist with the hashed asset names.
const page = (name, uses) => {
  const preloaded = new Set();
  let html = readFileSync(join(here, 'src', name), 'utf8').replaceAll('/assets/favicon.svg', faviconURL);
  for (const e of uses) {
    const { js, css, chunks } = entries[e];
    if (!js) throw new Error(`no output for entry ${e}`);
    html = html.replace(`/assets/${e}.js"></script>`, `${js}"></script>` + chunks.filter((c) => !preloaded.has(c) && preloaded.add(c)).map((c) => `\n<link rel="modulepreload" href="${c}">`).join(''));
    if (css) html = html.replace(`/assets/${e}.css"`, `${css}"`);
  }
  if (name === 'index.html') html = shell(html);
  const left = html.match(/\/assets\/[a-z-]+\.(js|css|svg|mjs)"/);
  if (left) throw new Error(`${name}: unhashed asset ${left[0]}`);
  writeFileSync(join(out, name), html);
};
page('index.html', ['boot', 'app', 'edit']);
page('report.html', ['report']);
page('signin.html', ['signin']);

// Precompressed copies of every asset.
for (const f of readdirSync(join(out, 'assets'))) {
  if (!/\.(js|mjs|css|svg)$/.test(f)) continue;
  const b = readFileSync(join(out, 'assets', f));
  writeFileSync(join(out, 'assets', f + '.br'), brotliCompressSync(b, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: b.length } }));
  writeFileSync(join(out, 'assets', f + '.gz'), gzipSync(b, { level: 9 }));
}
// The labels' glyphs (glyphs.mjs): SDF glyph ranges from a CJK font, served at /glyphs/.
const glyphFont = writeGlyphs(join(out, 'glyphs'), 'Noto Sans CJK SC,sans-serif');
writeFileSync(join(out, 'BUILD'), `maplibre-gl ${require('maplibre-gl/package.json').version}\nglyphs ${glyphFont}\n`);
console.log('built', out);
