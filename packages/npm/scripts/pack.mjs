#!/usr/bin/env node
// Packs the npm package for the platform this runs on, from the checkout:
//
//     node packages/npm/scripts/pack.mjs --binary target/release/portone-mock --out DIR
//
// It fails when package.json's version is not the crate's (the two move together), then
// stages package.json (with `os`, `cpu` and `libc` set to this platform, so that npm
// refuses the package where its binary cannot run), the files it lists and the binary in
// DIR/package, runs `npm pack` there and prints the tarball's path. With `--check-version`
// it only compares the versions, and prints the version.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(here, '..');
const repo = path.resolve(source, '..', '..');

function fail(message) {
  console.error(`pack.mjs: ${message}`);
  process.exit(1);
}

/** The crate's version, as cargo reads it (the workspace's, inherited). */
function crateVersion() {
  const metadata = JSON.parse(
    execFileSync(
      'cargo',
      [
        'metadata',
        '--no-deps',
        '--format-version',
        '1',
        '--manifest-path',
        path.join(repo, 'Cargo.toml'),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  const crate = metadata.packages.find((p) => p.name === 'portone-mock');
  if (!crate) fail('the workspace has no portone-mock crate');
  return crate.version;
}

const { values: options } = parseArgs({
  options: {
    binary: { type: 'string' },
    out: { type: 'string' },
    'check-version': { type: 'boolean', default: false },
  },
});

const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
const version = crateVersion();
if (manifest.version !== version) {
  fail(
    `packages/npm/package.json says version ${manifest.version}, the portone-mock crate ` +
      `${version}: set "version" to "${version}" (the npm package carries the crate's binary)`,
  );
}
if (options['check-version']) {
  console.log(version);
  process.exit(0);
}
if (!options.binary || !options.out) fail('usage: pack.mjs --binary PATH --out DIR');

const exe = process.platform === 'win32' ? 'portone-mock.exe' : 'portone-mock';
const staged = path.resolve(options.out, 'package');
fs.rmSync(staged, { recursive: true, force: true });
fs.mkdirSync(path.join(staged, 'bin'), { recursive: true });
for (const file of manifest.files.filter((f) => f !== 'bin/').concat('README.md')) {
  fs.copyFileSync(path.join(source, file), path.join(staged, file));
}
fs.copyFileSync(options.binary, path.join(staged, 'bin', exe));
fs.chmodSync(path.join(staged, 'bin', exe), 0o755);

manifest.os = [process.platform];
manifest.cpu = [process.arch];
if (process.platform === 'linux') {
  // A binary linked against glibc does not run on musl (Alpine), and the reverse.
  manifest.libc = [process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl'];
}
manifest.bin = { 'portone-mock': `bin/${exe}` };
fs.writeFileSync(path.join(staged, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', path.resolve(options.out)], {
    cwd: staged,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
console.log(path.resolve(options.out, packed[0].filename));
