// What the browser scripts here share: their arguments (--name value pairs; --base, the server,
// and --out, the folder for screenshots, made if missing), the JSON line a check prints for the
// Go tests (e2e_test.go runScript: {"check", "ok", "detail", ...}, the detail as text) and
// Chromium as the tests run it: Debian's, headless, with software WebGL for the pages that draw
// maps.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const require = createRequire(new URL('../ui/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
export const base = args.base;
export const out = args.out || 'test-output';
mkdirSync(out, { recursive: true });

// report prints one check's result; detail not a string is written as JSON, extra's members
// beside it (figures a Go test reads).
export const report = (check, ok, detail = '', extra = {}) =>
  console.log(JSON.stringify({ check, ok, detail: typeof detail === 'string' ? detail : JSON.stringify(detail), ...extra }));

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];
const SOFTWARE_GL = ['--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

// launch starts Chromium; gl false leaves WebGL out (pages without a map).
export const launch = ({ gl = true } = {}) => chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: gl ? [...FLAGS, ...SOFTWARE_GL] : FLAGS,
});
