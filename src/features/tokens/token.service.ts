import { v7 as uuidv7 } from 'uuid';
import { hashSecret, newSecret } from '../../platform/auth/secrets.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Permission } from '../../shared/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { IdentityCache } from '../auth/identity-cache.ts';
import { findToken, insertToken, listTokens, revokeToken, type TokenRow } from './token.repository.ts';
import type { ApiToken, ApiTokenCreate } from './token.schema.ts';

/** Secrets start with this, so a leaked one is recognisable (and findable by secret scanners). */
export const TOKEN_PREFIX = 'ptk_';

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function toApiToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as Permission[],
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

export class TokenService {
  constructor(
    private readonly database: Database,
    /** Forgotten when a token is revoked: it stops at the next request. */
    private readonly identities: IdentityCache,
  ) {}

  list(ctx: RequestContext): Promise<ApiToken[]> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => (await listTokens(trx)).map(toApiToken));
  }

  /** A token with at most the creator's own permissions; its secret is returned once and kept only as a hash. */
  async create(ctx: RequestContext, input: ApiTokenCreate): Promise<{ token: ApiToken; secret: string }> {
    const beyond = input.scopes.filter((scope) => !ctx.permissions.has(scope));
    if (beyond.length > 0) {
      throw AppError.invalid([
        {
          field: 'scopes',
          code: 'not_allowed',
          message: `You cannot give permissions you do not have: ${beyond.join(', ')}`,
        },
      ]);
    }
    if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) {
      throw AppError.invalid([{ field: 'expiresAt', code: 'in_past', message: 'Must be in the future' }]);
    }
    const secret = `${TOKEN_PREFIX}${newSecret(30)}`;
    const id = uuidv7();
    const token = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      await insertToken(trx, {
        id,
        name: input.name,
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        secretHash: hashSecret(secret),
        scopes: [...new Set(input.scopes)],
        createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      });
      const row = await findToken(trx, id);
      if (!row) throw AppError.notFound('API token');
      const created = toApiToken(row);
      await recordAudit(trx, ctx, {
        action: 'token.created',
        entityType: 'token',
        entityId: id,
        changes: { name: created.name, scopes: created.scopes, expiresAt: created.expiresAt },
      });
      return created;
    });
    return { token, secret };
  }

  /** Revoked at once: the next request with it gets 401. */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    await this.database.withMerchant(ctx.merchantId, async (trx) => {
      if (!(await revokeToken(trx, id))) {
        if (await findToken(trx, id)) throw new AppError('conflict', 'This API token is already revoked');
        throw AppError.notFound('API token');
      }
      await recordAudit(trx, ctx, { action: 'token.revoked', entityType: 'token', entityId: id });
    });
    this.identities.forgetAll();
  }
}
