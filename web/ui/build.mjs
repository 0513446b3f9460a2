// Builds the land map into dist/: esbuild bundles src/main.js (with MapLibre GL JS and its CSS)
// into assets/app.js + assets/app.css, src/edit.js into assets/edit.js + edit.css,
// src/report.js into assets/report.js + report.css, src/signin.js into assets/signin.js + signin.css, and copies MapLibre's worker, the pages and
// the icon. The entries share modules (state.js, api.js, meta.js...) by import: code splitting
// puts those into assets/chunk-*.js, loaded once, so that the map page's app.js and edit.js see
// one and the same state. The Go binary embeds dist/ (web/page.go).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const here = dirname(new URL(import.meta.url).pathname);
const out = join(here, 'dist');
for (const f of readdirSync(out, { withFileTypes: true })) {
  if (f.name !== '.placeholder') rmSync(join(out, f.name), { recursive: true, force: true });
}
mkdirSync(join(out, 'assets'), { recursive: true });

await esbuild.build({
  entryPoints: { app: join(here, 'src/main.js'), report: join(here, 'src/report.js'), edit: join(here, 'src/edit.js'), signin: join(here, 'src/signin.js') }, // report: the report page (/reports); signin: /signin
  bundle: true, format: 'esm', splitting: true, chunkNames: 'chunk-[hash]', minify: process.env.DEV !== "1", sourcemap: false, target: ['es2022'],
  outdir: join(out, 'assets'), logLevel: 'warning', legalComments: 'eof',
});
const mlDist = dirname(require.resolve('maplibre-gl/dist/maplibre-gl.mjs'));
cpSync(join(mlDist, 'maplibre-gl-worker.mjs'), join(out, 'assets/maplibre-gl-worker.mjs'));
cpSync(join(here, 'src/index.html'), join(out, 'index.html'));
cpSync(join(here, 'src/report.html'), join(out, 'report.html'));
cpSync(join(here, 'src/signin.html'), join(out, 'signin.html'));
cpSync(join(here, 'src/favicon.svg'), join(out, 'assets/favicon.svg'));
writeFileSync(join(out, 'BUILD'), `maplibre-gl ${require('maplibre-gl/package.json').version}\n`);
console.log('built', out);
