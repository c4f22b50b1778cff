import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';

export interface SmtpTestServer {
  port: number;
  /** The messages received so far, parsed, oldest first. */
  messages(): Promise<(ParsedMail & { envelopeTo: string })[]>;
  /** Wait until at least `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<(ParsedMail & { envelopeTo: string })[]>;
  stop(): Promise<void>;
}

/** Start a real SMTP server process on a free loopback port. */
export async function startSmtpServer(): Promise<SmtpTestServer> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'patron-smtp-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'smtp-server-process.mjs'), folder],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The SMTP server exited (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  const messages = async () =>
    Promise.all(
      fs
        .readdirSync(folder)
        .sort()
        .map(async (file) => {
          const raw = fs.readFileSync(path.join(folder, file), 'utf8');
          const envelopeTo = /^X-Envelope-To: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
          return Object.assign(await simpleParser(raw), { envelopeTo });
        }),
    );
  return {
    port,
    messages,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const received = await messages();
        if (received.length >= count) return received;
        if (Date.now() > deadline) throw new Error(`Expected ${count} messages, received ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
