import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely's view of the tables (camelCase, mapped by CamelCasePlugin). Keep in step with the migrations. */
export interface DB {
  merchant: MerchantTable;
  store: StoreTable;
  customerGroup: CustomerGroupTable;
  customer: CustomerTable;
  customerNote: CustomerNoteTable;
  appUser: AppUserTable;
  userSession: UserSessionTable;
  apiToken: ApiTokenTable;
  rateLimitCounter: RateLimitCounterTable;
  auditEvent: AuditEventTable;
  product: ProductTable;
  sale: SaleTable;
  saleLine: SaleLineTable;
  salePayment: SalePaymentTable;
  customerStats: CustomerStatsTable;
  idempotencyKey: IdempotencyKeyTable;
  merchantSmtp: MerchantSmtpTable;
}

/** A timestamptz the database fills in (now()) unless given. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface MerchantTable {
  id: string;
  name: string;
  currency: Generated<string>;
  defaultCountry: Generated<string>;
  timeZone: Generated<string>;
  requireFirstName: Generated<boolean>;
  requireLastName: Generated<boolean>;
  requireEmail: Generated<boolean>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface StoreTable {
  merchantId: string;
  id: string;
  name: string;
  timeZone: string;
  channel: 'pos' | 'ecommerce' | 'backoffice';
  createdAt: GeneratedTimestamp;
}

export interface CustomerGroupTable {
  merchantId: string;
  id: string;
  name: string;
  isDefault: Generated<boolean>;
  createdAt: GeneratedTimestamp;
}

export interface CustomerTable {
  merchantId: string;
  id: string;
  code: Generated<string>;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  phoneE164: string | null;
  mobile: string | null;
  mobileE164: string | null;
  website: string | null;
  twitter: string | null;
  birthYear: number | null;
  birthMonth: number | null;
  birthDay: number | null;
  physicalLine1: string | null;
  physicalLine2: string | null;
  physicalSuburb: string | null;
  physicalCity: string | null;
  physicalState: string | null;
  physicalPostcode: string | null;
  physicalCountry: string | null;
  postalLine1: string | null;
  postalLine2: string | null;
  postalSuburb: string | null;
  postalCity: string | null;
  postalState: string | null;
  postalPostcode: string | null;
  postalCountry: string | null;
  note: string | null;
  taxExempt: Generated<boolean>;
  salesTaxNumber: string | null;
  emailMarketing: Generated<boolean>;
  smsMarketing: Generated<boolean>;
  loyaltyOptIn: Generated<boolean>;
  groupId: string;
  createdStoreId: string | null;
  source: 'pos' | 'ecommerce' | 'backoffice' | 'import' | 'api';
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
  version: Generated<number>;
  updatedByName: string | null;
  deletedAt: NullableTimestamp;
  erasedAt: NullableTimestamp;
}

export interface CustomerNoteTable {
  merchantId: string;
  id: string;
  customerId: string;
  authorName: string;
  body: string;
  createdAt: GeneratedTimestamp;
}

export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
export type CustomerRowUpdate = Updateable<CustomerTable>;
export type MerchantRow = Selectable<MerchantTable>;

export interface AppUserTable {
  merchantId: string;
  id: string;
  name: string;
  email: string;
  passwordHash: string;
  role: 'owner' | 'admin' | 'manager' | 'cashier';
  storeIds: Generated<string[]>;
  disabledAt: NullableTimestamp;
  mustChangePassword: Generated<boolean>;
  lastSignInAt: NullableTimestamp;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
  version: Generated<number>;
}

export interface UserSessionTable {
  idHash: string;
  merchantId: string;
  userId: string;
  csrfToken: string;
  createdAt: GeneratedTimestamp;
  lastSeenAt: GeneratedTimestamp;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface ApiTokenTable {
  merchantId: string;
  id: string;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: GeneratedTimestamp;
  expiresAt: NullableTimestamp;
  lastUsedAt: NullableTimestamp;
  revokedAt: NullableTimestamp;
}

export interface RateLimitCounterTable {
  key: string;
  windowStart: Date;
  hits: number;
}

export interface AuditEventTable {
  merchantId: string;
  id: string;
  occurredAt: GeneratedTimestamp;
  actorType: 'user' | 'token' | 'system';
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  requestId: string | null;
  ip: string | null;
}

export type AppUserRow = Selectable<AppUserTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;

export interface ProductTable {
  merchantId: string;
  id: string;
  sku: string;
  name: string;
  price: number;
  cost: number | null;
  active: Generated<boolean>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export type SaleStatus = 'completed' | 'on_account' | 'cancelled' | 'refunded';

export interface SaleTable {
  merchantId: string;
  id: string;
  storeId: string;
  register: string | null;
  receiptRef: string;
  channel: 'pos' | 'ecommerce';
  kind: Generated<'sale' | 'refund'>;
  status: SaleStatus;
  soldAt: ColumnType<Date, Date | string, Date | string>;
  customerId: string | null;
  refundOf: string | null;
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  costTotal: number;
  note: string | null;
  requestHash: string;
  createdBy: string;
  createdAt: GeneratedTimestamp;
  cancelledAt: NullableTimestamp;
  cancelledBy: string | null;
  cancelReason: string | null;
}

export interface SaleLineTable {
  merchantId: string;
  saleId: string;
  lineNo: number;
  productId: string | null;
  sku: string | null;
  description: string;
  /** numeric(12,3): read as a string, to keep every digit. */
  quantity: ColumnType<string, string | number, string | number>;
  unitPrice: number;
  unitCost: number | null;
  discount: number;
  tax: number;
  total: number;
  refundsLineNo: number | null;
}

export interface SalePaymentTable {
  merchantId: string;
  saleId: string;
  lineNo: number;
  method: 'cash' | 'card' | 'store_credit' | 'loyalty' | 'on_account' | 'gift_card' | 'other';
  amount: number;
}

export interface CustomerStatsTable {
  merchantId: string;
  customerId: string;
  totalSpent: Generated<number>;
  orderCount: Generated<number>;
  visitCount: Generated<number>;
  returnCount: Generated<number>;
  firstOrderAt: NullableTimestamp;
  lastOrderAt: NullableTimestamp;
}

export interface IdempotencyKeyTable {
  merchantId: string;
  key: string;
  requestHash: string;
  resourceId: string | null;
  createdAt: GeneratedTimestamp;
}

export interface MerchantSmtpTable {
  merchantId: string;
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string | null;
  password: string | null;
  fromAddress: string;
  fromName: string | null;
  updatedAt: GeneratedTimestamp;
}
