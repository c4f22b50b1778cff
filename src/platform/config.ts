import path from 'node:path';

/** Everything Patron reads from its environment, parsed once at start. */
export interface Config {
  /** HTTP port of the API and web UI. */
  port: number;
  /** Address to bind; all interfaces unless told otherwise. */
  host: string;
  /** Folder for everything Patron keeps on disk (the embedded database lives in `db/` under it). */
  dataDir: string;
  /** An external PostgreSQL 15+; when set, no embedded database is started. */
  databaseUrl: string | undefined;
  /** Log level for the server's JSON logs. */
  logLevel: string;
  /** Log every HTTP request. */
  logRequests: boolean;
  /** Settings for the embedded PostgreSQL, over the ones Patron sizes for the machine (PATRON_POSTGRES_SETTINGS). */
  postgresSettings: Record<string, string>;
  /** Behind a reverse proxy: true, or the proxy addresses (comma-separated) to believe X-Forwarded-* from. */
  trustProxy: boolean | string;
}

export class ConfigError extends Error {}

function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number between 0 and 65535, got "${value}"`);
  }
  return port;
}

/** `name=value` pairs separated by `;` or new lines, checked for form (PostgreSQL checks the rest at start). */
function parsePostgresSettings(text: string | undefined): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const part of (text ?? '').split(/[;\n]/)) {
    const item = part.trim();
    if (!item) continue;
    const match = /^([a-z_][a-z0-9_.]*)\s*=\s*(.+)$/i.exec(item);
    if (!match?.[1] || !match[2]) {
      throw new ConfigError(
        `PATRON_POSTGRES_SETTINGS: "${item}" is not name=value (for example "shared_buffers=2GB; work_mem=16MB")`,
      );
    }
    settings[match[1].toLowerCase()] = match[2].trim();
  }
  return settings;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: parsePort('PORT', env.PORT, 3000),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.PATRON_DATA_DIR || 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL || 'warn',
    logRequests: env.LOG_REQUESTS === '1' || env.LOG_REQUESTS === 'true',
    postgresSettings: parsePostgresSettings(env.PATRON_POSTGRES_SETTINGS),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY || false,
  };
}
