import type { RequestContext } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import type { SmtpSettings } from '../../platform/email/mailer.ts';
import { AppError } from '../../platform/http/errors.ts';
import { diffFields, recordAudit } from '../audit/audit.service.ts';
import type { IdentityCache } from '../auth/identity-cache.ts';
import { PAYMENT_METHODS } from '../sales/sale.schema.ts';
import { anySales, findSmtp, type SmtpRow, saveSmtp } from './email-settings.repository.ts';
import type { EmailSettings, EmailSettingsUpdate } from './email-settings.schema.ts';
import { findSettings, type SettingsRow, updateSettings } from './settings.repository.ts';
import type { CashRounding, Settings, SettingsUpdate } from './settings.schema.ts';

/** A set of payment methods in one order (the API's list), so that the same set never reads as a change. */
function inMethodOrder<M extends (typeof PAYMENT_METHODS)[number]>(methods: readonly M[]): M[] {
  return PAYMENT_METHODS.filter((method): method is M => (methods as readonly string[]).includes(method));
}

function toSettings(row: SettingsRow): Settings {
  return {
    businessName: row.name,
    currency: row.currency,
    defaultCountry: row.defaultCountry,
    timeZone: row.timeZone,
    requireFirstName: row.requireFirstName,
    requireLastName: row.requireLastName,
    requireEmail: row.requireEmail,
    loyaltyEnabled: row.loyaltyEnabled,
    loyaltyPointsPerUnit: Number(row.loyaltyPointsPerUnit),
    loyaltyPointValue: Number(row.loyaltyPointValue),
    loyaltyEarningMethods: inMethodOrder(row.loyaltyEarningMethods),
    loyaltyExpiryMonths: row.loyaltyExpiryMonths,
    invoicingEnabled: row.invoicingEnabled,
    paymentTermsDays: row.paymentTermsDays,
    defaultCreditLimit: row.defaultCreditLimit,
    cashRounding: row.cashRounding as CashRounding,
  };
}

/**
 * What a printed or emailed document (a receipt, an invoice, a statement) needs of the business: its name, and the
 * locale its amounts and dates are written in. The documents are in English, written as people in the business's
 * country write English: "Jun 16, 2026, 9:30 AM" and "$15.60" for a café in the US, "16 June 2026, 9:30 am" and
 * "$15.60" in Australia, "16 Jun 2026, 09:30" in the UK; another country's currency keeps its mark ("A$" in the US).
 */
export function documentContext(settings: Settings): { businessName: string; currency: string; locale: string } {
  return {
    businessName: settings.businessName,
    currency: settings.currency,
    locale: documentLocale(settings.defaultCountry),
  };
}

/**
 * English as written in `country` when the ICU data knows it (en-AU, en-DE, en-JP…); otherwise British English, whose
 * day-first dates and 24-hour times are nearer most countries' own than American English, the bare `en` (Brazil,
 * Mexico, China).
 */
export function documentLocale(country: string): string {
  const wanted = `en-${country}`;
  return new Intl.DateTimeFormat(wanted).resolvedOptions().locale === wanted ? wanted : 'en-GB';
}

/** The merchant's settings, read inside another service's transaction (e.g. the rules a customer must meet). */
export async function settingsIn(trx: Trx): Promise<Settings> {
  const row = await findSettings(trx);
  if (!row) throw AppError.notFound('Merchant');
  return toSettings(row);
}

/** The business's time zone, in a transaction of its own: for naming a download before its rows are read. */
export async function businessTimeZone(database: Database, merchantId: string): Promise<string> {
  return (await database.withMerchant(merchantId, (trx) => settingsIn(trx))).timeZone;
}

function toEmailSettings(row: SmtpRow | undefined): EmailSettings {
  return {
    configured: row !== undefined,
    host: row?.host ?? null,
    port: row?.port ?? null,
    security: row?.security ?? null,
    username: row?.username ?? null,
    passwordSet: Boolean(row?.password),
    fromAddress: row?.fromAddress ?? null,
    fromName: row?.fromName ?? null,
  };
}

/** The merchant's SMTP server, for a service about to send mail; a clear 409 when there is none. */
export async function smtpIn(trx: Trx): Promise<SmtpSettings> {
  const row = await findSmtp(trx);
  if (!row) throw new AppError('conflict', 'Email is not set up: add your SMTP server in Settings → Email first');
  return row;
}

export class SettingsService {
  constructor(
    private readonly database: Database,
    /** Forgotten after a change: the business name a session shows holds from the next request. */
    private readonly identities: IdentityCache,
  ) {}

  get(ctx: RequestContext): Promise<Settings> {
    return this.database.withMerchant(ctx.merchantId, settingsIn);
  }

  async update(ctx: RequestContext, update: SettingsUpdate): Promise<Settings> {
    const { businessName, ...rest } = update;
    const updated = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const before = await settingsIn(trx);
      // Amounts are stored in minor units of the currency: another currency would silently revalue them.
      if (update.currency && update.currency !== before.currency && (await anySales(trx))) {
        throw new AppError(
          'conflict',
          'The currency cannot change once sales are recorded: every amount is kept in it',
          {
            fields: [{ field: 'currency', code: 'locked', message: 'Cannot change once sales are recorded' }],
          },
        );
      }
      const row = await updateSettings(trx, {
        ...rest,
        ...(rest.loyaltyEarningMethods ? { loyaltyEarningMethods: inMethodOrder(rest.loyaltyEarningMethods) } : {}),
        ...(businessName !== undefined ? { name: businessName } : {}),
      });
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
    this.identities.forgetAll();
    return updated;
  }

  getEmail(ctx: RequestContext): Promise<EmailSettings> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => toEmailSettings(await findSmtp(trx)));
  }

  /** Save the SMTP server; the password is kept when left out, and never shown again. */
  updateEmail(ctx: RequestContext, update: EmailSettingsUpdate): Promise<EmailSettings> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const before = await findSmtp(trx);
      // The stored password goes only to the server it was given for.
      const serverChanged = before && (before.host !== update.host || before.username !== (update.username ?? null));
      if (serverChanged && update.password === undefined && before.password) {
        throw AppError.invalid([
          { field: 'password', code: 'required', message: 'Enter the password again: the server or user name changed' },
        ]);
      }
      await saveSmtp(trx, {
        host: update.host,
        port: update.port,
        security: update.security,
        username: update.username ?? null,
        password: update.password === undefined ? (before?.password ?? null) : update.password,
        fromAddress: update.fromAddress,
        fromName: update.fromName ?? null,
      });
      const after = toEmailSettings(await findSmtp(trx));
      const changes = diffFields(toEmailSettings(before), after, ['configured']);
      if (update.password !== undefined)
        changes.password = { from: '(hidden)', to: update.password ? '(changed)' : '(removed)' };
      await recordAudit(trx, ctx, {
        action: 'settings.updated',
        entityType: 'settings',
        entityId: ctx.merchantId,
        changes,
      });
      return after;
    });
  }
}
