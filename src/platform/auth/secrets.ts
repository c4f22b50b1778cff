import { createHash, randomBytes } from 'node:crypto';

/** A random secret for a session cookie, a CSRF token or an API token. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Secrets are stored only as their SHA-256: they are long and random, so no slow hash is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
