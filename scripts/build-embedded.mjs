#!/usr/bin/env node
// npm postinstall: builds the embedded FerretDB + NATS JetStream launcher (embedded/, a Go module)
// into bin/reviewgraph-embedded. Plain Node, no dependencies.
//
// - skipped when REVIEWGRAPH_SKIP_EMBEDDED_BUILD=1, or when the binary is newer than every file in embedded/
// - without Go on PATH it explains the alternatives and exits 0, so `npm install` itself succeeds
// - a failing `go build` prints its output and exits 1
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'embedded');
const binDir = join(root, 'bin');
const binary = join(binDir, process.platform === 'win32' ? 'reviewgraph-embedded.exe' : 'reviewgraph-embedded');
const log = (msg) => console.log(`[embedded] ${msg}`);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function main() {
  if (process.env.REVIEWGRAPH_SKIP_EMBEDDED_BUILD === '1') {
    log('REVIEWGRAPH_SKIP_EMBEDDED_BUILD=1: not building the embedded launcher');
    return 0;
  }
  if (!existsSync(join(srcDir, 'go.mod'))) {
    log(`no Go module at ${srcDir}: nothing to build`);
    return 0;
  }
  if (existsSync(binary) && statSync(binary).mtimeMs > newestMtime(srcDir)) {
    log('embedded launcher up to date');
    return 0;
  }

  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (goVersion.error || goVersion.status !== 0) {
    if (process.env.MONGODB_URI && process.env.NATS_URL) {
      log('Go not found; MONGODB_URI and NATS_URL are set, so the embedded launcher is not needed.');
      return 0;
    }
    console.log(
      [
        '',
        '[embedded] Go was not found on PATH, so the embedded FerretDB + NATS JetStream launcher was not built.',
        '[embedded] To run reviewgraph you need one of:',
        '[embedded]   - Go >= 1.22 (https://go.dev/dl/; the module needs 1.26, which Go >= 1.22 fetches by itself), then re-run `npm install`; or',
        '[embedded]   - your own MongoDB and NATS JetStream: set MONGODB_URI and NATS_URL.',
        '',
      ].join('\n'),
    );
    return 0;
  }

  log(`building the embedded FerretDB + NATS launcher (about a minute the first time)… [${goVersion.stdout.trim()}]`);
  mkdirSync(binDir, { recursive: true });
  const started = Date.now();
  const build = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: srcDir,
    encoding: 'utf8',
    env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (build.error || build.status !== 0) {
    process.stderr.write(build.stdout ?? '');
    process.stderr.write(build.stderr ?? '');
    if (build.error) console.error(`[embedded] ${build.error.message}`);
    console.error(`[embedded] go build failed after ${seconds}s (in ${srcDir})`);
    return 1;
  }
  log(`built ${binary} in ${seconds}s`);
  return 0;
}

process.exitCode = main();
