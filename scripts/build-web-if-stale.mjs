// Build the web UI before `npm start` when it was never built or its sources changed since.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'web', 'index.html');
const sources = ['src/web', 'src/shared', 'src/features', 'vite.config.ts', 'package-lock.json'];

function newest(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)));
  return latest;
}

if (process.env.PATRON_SKIP_WEB_BUILD === '1') process.exit(0);

const builtAt = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changedAt = Math.max(...sources.map((source) => newest(path.join(root, source))));
if (builtAt < changedAt) {
  process.stdout.write(builtAt ? 'The web UI changed: building it…\n' : 'Building the web UI (first start only)…\n');
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
      // The production build of React, even when a test runner (NODE_ENV=test) asks for the build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
