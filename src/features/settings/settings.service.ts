import type { RequestContext } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';
import { diffFields, recordAudit } from '../audit/audit.service.ts';
import { findSettings, type SettingsRow, updateSettings } from './settings.repository.ts';
import type { Settings, SettingsUpdate } from './settings.schema.ts';

function toSettings(row: SettingsRow): Settings {
  return {
    businessName: row.name,
    currency: row.currency,
    defaultCountry: row.defaultCountry,
    timeZone: row.timeZone,
    requireFirstName: row.requireFirstName,
    requireLastName: row.requireLastName,
    requireEmail: row.requireEmail,
  };
}

/** The merchant's settings, read inside another service's transaction (e.g. the rules a customer must meet). */
export async function settingsIn(trx: Trx): Promise<Settings> {
  const row = await findSettings(trx);
  if (!row) throw AppError.notFound('Merchant');
  return toSettings(row);
}

export class SettingsService {
  constructor(private readonly database: Database) {}

  get(ctx: RequestContext): Promise<Settings> {
    return this.database.withMerchant(ctx.merchantId, settingsIn);
  }

  update(ctx: RequestContext, update: SettingsUpdate): Promise<Settings> {
    const { businessName, ...rest } = update;
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const before = await settingsIn(trx);
      const row = await updateSettings(trx, { ...rest, ...(businessName !== undefined ? { name: businessName } : {}) });
      if (!row) throw AppError.notFound('Merchant');
      const after = toSettings(row);
      const changes = diffFields(before, after);
      if (Object.keys(changes).length > 0) {
        await recordAudit(trx, ctx, {
          action: 'settings.updated',
          entityType: 'settings',
          entityId: ctx.merchantId,
          changes,
        });
      }
      return after;
    });
  }
}
