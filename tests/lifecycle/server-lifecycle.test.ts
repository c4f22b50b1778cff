import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableMemory, serverSettingsFor } from '../../src/platform/db/embedded-postgres.ts';

/**
 * `npm start` as a person runs it: a real process tree with the embedded PostgreSQL, stopped with
 * Ctrl-C (SIGINT to the whole process group), killed, restarted, and started on a taken port.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDirs: string[] = [];

function tempDataDir(owner?: { uid: number; gid: number }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patron-life-'));
  fs.chmodSync(dir, 0o755);
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  dataDirs.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Every process that shared its output has ended and all of the output has been read. */
  closed: Promise<void>;
  hasExited: () => boolean;
}

function startPatron(env: Record<string, string>, user?: { uid: number; gid: number }): Started {
  let output = '';
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    detached: true, // its own process group, as a terminal gives it: Ctrl-C reaches every process in it
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      hasExited = true;
      resolve(code);
    }),
  );
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { child, output: () => output, exited, closed, hasExited: () => hasExited };
}

async function waitFor(check: () => boolean, what: string, started: Started, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Output:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** PostgreSQL server processes whose data folder is under `dataDir`. */
function postgresProcesses(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('postgres') && cmdline.includes(dataDir)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function startReady(
  dataDir: string,
  port: number,
  user?: { uid: number; gid: number },
  env: Record<string, string> = {},
): Promise<Started> {
  const started = startPatron({ PATRON_DATA_DIR: dataDir, PORT: String(port), ...env }, user);
  await waitFor(
    () => started.output().includes('Patron is ready') || started.hasExited(),
    'Patron to be ready',
    started,
  );
  if (!started.output().includes('Patron is ready'))
    throw new Error(`Patron stopped before it was ready:\n${started.output()}`);
  return started;
}

/** Processes of the process group `pgid` that are still alive (not zombies). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

/** Ctrl-C in a terminal: SIGINT to every process of the group; resolves once all of them have ended. */
async function ctrlC(started: Started): Promise<string> {
  const pgid = started.child.pid as number;
  process.kill(-pgid, 'SIGINT');
  await started.exited;
  await waitFor(() => groupMembers(pgid).length === 0, 'every Patron process to end', started, 30_000);
  // The last lines may still be in the pipe when the processes are gone.
  await started.closed;
  return started.output();
}

/** The first run's setup: the business and its owner, signed in. */
async function setUpOwner(port: number): Promise<Record<string, string>> {
  const setup = await fetch(`http://127.0.0.1:${port}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      businessName: 'Lifecycle Ltd',
      ownerName: 'Lee',
      email: 'lee@life.example.com',
      password: 'long enough pw',
    }),
  });
  expect(setup.status).toBe(201);
  return {
    cookie: (setup.headers.get('set-cookie') ?? '').split(';')[0] as string,
    'x-csrf-token': (await setup.json()).csrfToken as string,
  };
}

/** Every Patron process of the group dies at once, without cleaning up; PostgreSQL survives. */
async function crash(started: Started, dataDir: string): Promise<void> {
  const postgres = postgresProcesses(dataDir);
  for (const pid of groupMembers(started.child.pid as number)) {
    if (!postgres.includes(pid)) process.kill(pid, 'SIGKILL');
  }
  await started.exited;
}

afterAll(() => {
  for (const dir of dataDirs) {
    for (const pid of postgresProcesses(dir)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('npm start', () => {
  it('serves the back office on the embedded database, keeps data across restarts, and leaves nothing running after Ctrl-C', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const first = await startReady(dataDir, port);
    expect(first.output()).toMatch(/Applied \d+ migration/);
    expect(first.output()).toContain('First run: open http://localhost');
    const session = await setUpOwner(port);
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...session },
      body: JSON.stringify({ firstName: 'Persistent', lastName: 'Person' }),
    });
    expect(created.status).toBe(201);
    const page = await fetch(`http://127.0.0.1:${port}/customers`);
    expect(await page.text()).toContain('<div id="root">');
    expect(await ctrlC(first)).toContain('Ctrl-C: stopping Patron');
    expect(postgresProcesses(dataDir)).toEqual([]);

    const second = await startReady(dataDir, port);
    expect(second.output()).not.toMatch(/Applied \d+ migration/);
    expect(second.output()).not.toContain('First run');
    const list = await (await fetch(`http://127.0.0.1:${port}/api/v1/customers`, { headers: session })).json();
    expect(list.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Persistent']);
    expect(await ctrlC(second)).toContain('Ctrl-C: stopping Patron');
    expect(postgresProcesses(dataDir)).toEqual([]);
  }, 120_000);

  it('starts again after a crash that left PostgreSQL and its lock file behind', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const first = await startReady(dataDir, port);
    await crash(first, dataDir);
    expect(fs.existsSync(path.join(dataDir, 'db', 'postmaster.pid'))).toBe(true);

    const second = await startReady(dataDir, port);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(await ctrlC(second)).toContain('Ctrl-C: stopping Patron');
    expect(postgresProcesses(dataDir)).toEqual([]);
  }, 120_000);

  it('finishes an import killed half way through its commit once started again, each customer written once', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    // Batches of 200 lines, so that the commit of 8,000 rows is still writing when the process is killed.
    const env = { PATRON_IMPORT_BATCH_LINES: '200' };
    const first = await startReady(dataDir, port, undefined, env);
    const session = await setUpOwner(port);
    const base = `http://127.0.0.1:${port}/api/v1/imports`;
    const rows = Array.from({ length: 8000 }, (_, i) => `Killed,Person${i},killed${i}@life.example.com`);
    const upload = await fetch(`${base}?fileName=killed.csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...session },
      body: ['First name,Last name,Email', ...rows].join('\n'),
    });
    expect(upload.status).toBe(202);
    const id = (await upload.json()).id as string;
    const job = async () => (await fetch(`${base}/${id}`, { headers: session })).json();
    const until = async (done: (j: { status: string; progress: { rowsDone: number } }) => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const current = await job();
        if (done(current)) return current;
        if (Date.now() > deadline) throw new Error(`Import stuck: ${JSON.stringify(current)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    expect((await until((j) => j.status !== 'validating', 60_000)).status).toBe('validated');
    const commit = await fetch(`${base}/${id}/commit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...session },
      body: JSON.stringify({ mode: 'valid' }),
    });
    expect(commit.status).toBe(202);
    const killedAt = await until((j) => j.status !== 'committing' || j.progress.rowsDone > 0, 60_000);
    await crash(first, dataDir);
    expect(killedAt.status).toBe('committing');
    expect(killedAt.progress.rowsDone).toBeLessThan(8000);

    // Started again: the job that stopped moving is picked up (after 20 s without progress) and finishes.
    const second = await startReady(dataDir, port, undefined, env);
    const finished = await until((j) => j.status !== 'committing', 90_000);
    expect(finished.status).toBe('done');
    expect(finished).toMatchObject({ result: { created: 8000 } });
    // Every customer once: 8,000 in the directory (the owner's own setup adds none).
    const counted = await fetch(`http://127.0.0.1:${port}/api/v1/customers/count`, { headers: session });
    expect(await counted.json()).toEqual({ count: 8000, exact: true });
    expect(await ctrlC(second)).toContain('Ctrl-C: stopping Patron');
  }, 240_000);

  it('stops cleanly on SIGTERM to npm alone, as a service manager sends it', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const started = await startReady(dataDir, port);
    const pgid = started.child.pid as number;
    process.kill(pgid, 'SIGTERM');
    await started.exited;
    await waitFor(() => groupMembers(pgid).length === 0, 'every Patron process to end', started, 30_000);
    await started.closed;
    expect(started.output()).toContain('SIGTERM: stopping Patron');
    expect(postgresProcesses(dataDir)).toEqual([]);
  }, 120_000);

  it('sizes its PostgreSQL for the machine, takes PATRON_POSTGRES_SETTINGS over it, and refuses a setting it cannot read', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const started = await startReady(dataDir, port, undefined, {
      PATRON_POSTGRES_SETTINGS: 'work_mem = 7MB; log_min_duration_statement=250',
    });
    const [postmaster] = postgresProcesses(dataDir);
    const args = fs.readFileSync(`/proc/${postmaster}/cmdline`, 'utf8').split('\0');
    const setting = (name: string) => args.filter((arg) => arg.startsWith(`${name}=`)).at(-1);
    const expected = serverSettingsFor(availableMemory());
    // A quarter of this machine's memory (PostgreSQL's own default is 128MB), the last word on the command line.
    expect(setting('shared_buffers')).toBe(`shared_buffers=${expected.shared_buffers}`);
    expect(Number.parseInt(expected.shared_buffers as string, 10)).toBeGreaterThan(128);
    expect(setting('work_mem')).toBe('work_mem=7MB');
    expect(setting('log_min_duration_statement')).toBe('log_min_duration_statement=250');
    expect(await ctrlC(started)).toContain('Ctrl-C: stopping Patron');

    const refused = startPatron({
      PATRON_DATA_DIR: dataDir,
      PORT: String(port),
      PATRON_POSTGRES_SETTINGS: 'shared_buffers',
    });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('PATRON_POSTGRES_SETTINGS: "shared_buffers" is not name=value');
    expect(postgresProcesses(dataDir)).toEqual([]);
  }, 120_000);

  it('says in one line which port is taken and which variable to change, and stops its database', async () => {
    const dataDir = tempDataDir();
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '0.0.0.0', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    try {
      const started = startPatron({ PATRON_DATA_DIR: dataDir, PORT: String(port) });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain(`Port ${port} is already in use: set PORT to another port`);
      expect(postgresProcesses(dataDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 120_000);

  it.runIf(process.getuid?.() === 0)(
    'runs for an ordinary user as well as for root',
    async () => {
      const nobody = { uid: 65534, gid: 65534 };
      const dataDir = tempDataDir(nobody);
      const port = await freePort();
      const started = await startReady(dataDir, port, nobody);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(fs.statSync(path.join(dataDir, 'db')).uid).toBe(nobody.uid);
      expect(await ctrlC(started)).toContain('Ctrl-C: stopping Patron');
      expect(postgresProcesses(dataDir)).toEqual([]);
    },
    120_000,
  );
});
