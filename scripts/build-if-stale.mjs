// Build what `npm start` runs, when it was never built or its sources changed since: the web UI (Vite, into
// dist/web) and the server (TypeScript compiled to JavaScript, into dist/server, with its SQL migrations).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** `--always` (npm run build): build both whether or not anything changed. */
const always = process.argv.includes('--always');

function newest(target, skip = () => false) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat || skip(target)) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry), skip));
  return latest;
}

function run(args, env = process.env) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Build `built` from `sources` with `build` unless it is newer than every source. */
function buildIfStale({ what, built, sources, skip, build }) {
  const builtAt = fs.statSync(path.join(root, built), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changedAt = Math.max(...sources.map((source) => newest(path.join(root, source), skip)));
  if (builtAt >= changedAt && !always) return;
  process.stdout.write(builtAt ? `The ${what} changed: building it…\n` : `Building the ${what} (first start only)…\n`);
  build();
}

if (process.env.PATRON_SKIP_WEB_BUILD !== '1' || always) {
  buildIfStale({
    what: 'web UI',
    built: 'dist/web/index.html',
    sources: ['src/web', 'src/shared', 'src/features', 'vite.config.ts', 'package-lock.json'],
    build: () =>
      run(
        [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
        // The production build of React, even when a test runner (NODE_ENV=test) asks for the build.
        { ...process.env, NODE_ENV: 'production' },
      ),
  });
}

buildIfStale({
  what: 'server',
  built: 'dist/server/.built',
  sources: ['src', 'tsconfig.json', 'tsconfig.server.json', 'package-lock.json'],
  skip: (file) => file === path.join(root, 'src', 'web') || file.endsWith('.test.ts'),
  build: () => {
    const out = path.join(root, 'dist', 'server');
    fs.rmSync(out, { recursive: true, force: true });
    run([path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.server.json']);
    fs.cpSync(path.join(root, 'src', 'platform', 'db', 'migrations'), path.join(out, 'platform', 'db', 'migrations'), {
      recursive: true,
    });
    fs.writeFileSync(path.join(out, '.built'), `${new Date().toISOString()}\n`);
  },
});
