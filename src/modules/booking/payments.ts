/**
 * Payment records: online prepay through a provider, pay-in-store recorded by staff, refunds,
 * verified provider callbacks (forged or replayed ones are rejected and logged), printable
 * receipts and invoice (发票) requests. Amounts are integer fen only.
 */
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { assertInOrgScope, requireOwner, type Principal } from '../../platform/auth/principal.js';
import { loadBooking } from './bookings.js';
import { paymentCallbacks, payments, refunds, invoiceRequests } from './schema.js';
import { SandboxProvider, type PaymentProvider } from './payment-provider.js';

export type Payment = typeof payments.$inferSelect;
export type Method = Payment['method'];

const providers = new WeakMap<AppContext, Map<string, PaymentProvider>>();
export function providerFor(ctx: AppContext, name: string): PaymentProvider {
  let m = providers.get(ctx);
  if (!m) {
    m = new Map([
      ['sandbox', new SandboxProvider(ctx.tokens.hmac('payments:sandbox'), ctx.config.publicUrl)],
    ]);
    providers.set(ctx, m);
  }
  const p = m.get(name);
  if (!p) throw new AppError('payment.unknown_provider', 'validation', `No payment provider ${name}`);
  return p;
}

export function sandbox(ctx: AppContext): SandboxProvider {
  return providerFor(ctx, 'sandbox') as SandboxProvider;
}

export async function loadPayment(ex: Executor, p: Principal, id: string, lock = false): Promise<Payment> {
  const q = ex.select().from(payments).where(eq(payments.id, id));
  const [row] = lock ? await q.for('update') : await q;
  const missing = new AppError('payment.not_found', 'not_found', `No payment with id ${id}`);
  if (!row) throw missing;
  if (p.kind === 'owner') {
    if (row.ownerId !== p.userId) throw missing;
  } else assertInOrgScope(p, row.orgPath, 'payment', id);
  return row;
}

/** An owner starts an online prepayment of a booking's total. */
export async function startPrepay(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  bookingId: string,
): Promise<{ payment: Payment; payUrl: string }> {
  const owner = requireOwner(p);
  const b = await loadBooking(tx, owner, bookingId, true);
  if (b.status !== 'held' && b.status !== 'confirmed') {
    throw new AppError(
      'payment.booking_not_payable',
      'conflict',
      `A booking that is ${b.status} cannot be prepaid`,
    );
  }
  const paid = await paidTotal(tx, { bookingId });
  const due = b.totalFen - paid;
  if (due <= 0) throw new AppError('payment.already_paid', 'conflict', 'This booking is already paid');
  const id = newId('pay');
  const provider = providerFor(ctx, 'sandbox');
  const charge = await provider.createCharge({ paymentId: id, amountFen: due });
  const [row] = await tx
    .insert(payments)
    .values({
      id,
      storeId: b.storeId,
      orgPath: b.orgPath,
      ownerId: b.ownerId,
      bookingId,
      kind: 'prepay',
      method: 'sandbox',
      provider: provider.name,
      providerRef: charge.providerRef,
      amountFen: due,
      status: 'pending',
      createdAt: ctx.clock.now(),
    })
    .returning();
  return { payment: row!, payUrl: charge.payUrl };
}

/** Staff record a payment taken in the store (cash, card, a QR code at the counter). */
export async function recordInStorePayment(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  input: {
    storeId: string;
    orgPath: string;
    ownerId: string | null;
    bookingId?: string | null;
    workOrderId?: string | null;
    method: Exclude<Method, 'sandbox'>;
    amountFen: number;
  },
): Promise<Payment> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    throw new AppError(
      'payment.bad_amount',
      'validation',
      'The amount must be a positive whole number of fen',
    );
  }
  assertInOrgScope(p, input.orgPath, 'store', input.storeId);
  const now = ctx.clock.now();
  const [row] = await tx
    .insert(payments)
    .values({
      id: newId('pay'),
      storeId: input.storeId,
      orgPath: input.orgPath,
      ownerId: input.ownerId,
      bookingId: input.bookingId ?? null,
      workOrderId: input.workOrderId ?? null,
      kind: 'in_store',
      method: input.method,
      provider: 'in_store',
      amountFen: input.amountFen,
      status: 'succeeded',
      createdAt: now,
      paidAt: now,
    })
    .returning();
  await ctx.bus.publish(
    tx,
    'payment.succeeded',
    {
      paymentId: row!.id,
      storeId: row!.storeId,
      bookingId: row!.bookingId,
      workOrderId: row!.workOrderId,
      amountFen: row!.amountFen,
      method: row!.method,
    },
    row!.orgPath,
  );
  return row!;
}

/**
 * A provider callback. Every callback is logged; a forged, stale or replayed one is rejected with
 * the reason, and never changes a payment.
 */
export async function handleCallback(
  ctx: AppContext,
  providerName: string,
  rawBody: string,
  headers: Record<string, string | undefined>,
  ip: string,
): Promise<{ paymentId: string; status: Payment['status'] }> {
  const provider = providerFor(ctx, providerName);
  const now = ctx.clock.now();
  const logRow = async (outcome: string, valid: boolean, nonce: string | null, paymentId: string | null) =>
    ctx.db.insert(paymentCallbacks).values({
      provider: providerName,
      nonce,
      receivedAt: now,
      signatureValid: valid ? 1 : 0,
      outcome,
      paymentId,
      ip,
    });
  let payload;
  try {
    payload = provider.verifyCallback(rawBody, headers, now);
  } catch (e) {
    await logRow(e instanceof AppError ? e.code : 'invalid', false, null, null);
    ctx.log.warn(
      { provider: providerName, ip, reason: e instanceof AppError ? e.code : 'invalid' },
      'payment callback rejected',
    );
    throw e;
  }
  const outcome = await ctx.db
    .transaction(async (tx) => {
      const ins = await tx
        .insert(paymentCallbacks)
        .values({
          provider: providerName,
          nonce: payload.nonce,
          receivedAt: now,
          signatureValid: 1,
          outcome: 'accepted',
          paymentId: payload.paymentId,
          ip,
        })
        .onConflictDoNothing()
        .returning({ id: paymentCallbacks.id });
      if (!ins.length) return { replay: true as const };
      const [pay] = await tx.select().from(payments).where(eq(payments.id, payload.paymentId)).for('update');
      if (!pay || pay.provider !== providerName || pay.providerRef !== payload.providerRef) {
        throw new AppError(
          'payment.unknown_reference',
          'validation',
          'The callback names a payment we did not start',
        );
      }
      if (pay.amountFen !== payload.amountFen) {
        throw new AppError(
          'payment.amount_mismatch',
          'validation',
          `The callback amount ${payload.amountFen} does not match ${pay.amountFen}`,
        );
      }
      if (pay.status !== 'pending') return { replay: false as const, paymentId: pay.id, status: pay.status };
      const [row] = await tx
        .update(payments)
        .set({ status: payload.status, paidAt: payload.status === 'succeeded' ? now : null })
        .where(eq(payments.id, pay.id))
        .returning();
      if (payload.status === 'succeeded') {
        await ctx.bus.publish(
          tx,
          'payment.succeeded',
          {
            paymentId: pay.id,
            storeId: pay.storeId,
            bookingId: pay.bookingId,
            workOrderId: pay.workOrderId,
            amountFen: pay.amountFen,
            method: pay.method,
          },
          pay.orgPath,
        );
      }
      return { replay: false as const, paymentId: row!.id, status: row!.status };
    })
    .catch(async (e: unknown) => {
      if (e instanceof AppError) {
        await logRow(e.code, true, null, payload.paymentId);
        ctx.log.warn(
          { provider: providerName, ip, reason: e.code, payment: payload.paymentId },
          'payment callback rejected',
        );
      }
      throw e;
    });
  if (outcome.replay) {
    await logRow('payment.replayed', true, null, payload.paymentId);
    ctx.log.warn(
      { provider: providerName, ip, payment: payload.paymentId },
      'payment callback replay rejected',
    );
    throw new AppError('payment.replayed', 'conflict', 'This callback was already processed');
  }
  return { paymentId: outcome.paymentId, status: outcome.status };
}

export async function refundPayment(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  paymentId: string,
  amountFen: number,
  reason: string,
): Promise<Payment> {
  const pay = await loadPayment(tx, p, paymentId, true);
  if (pay.status !== 'succeeded' && pay.status !== 'partially_refunded') {
    throw new AppError(
      'payment.not_refundable',
      'conflict',
      `A payment that is ${pay.status} cannot be refunded`,
    );
  }
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
    throw new AppError(
      'payment.bad_amount',
      'validation',
      'The refund must be a positive whole number of fen',
    );
  const left = pay.amountFen - pay.refundedFen;
  if (amountFen > left)
    throw new AppError('payment.refund_too_large', 'validation', `At most ${left} fen can still be refunded`);
  const now = ctx.clock.now();
  if (pay.provider !== 'in_store')
    await providerFor(ctx, pay.provider).refund({ providerRef: pay.providerRef ?? '', amountFen });
  await tx.insert(refunds).values({
    id: newId('rf'),
    paymentId,
    orgPath: pay.orgPath,
    amountFen,
    reason,
    status: 'succeeded',
    createdAt: now,
    completedAt: now,
  });
  const refunded = pay.refundedFen + amountFen;
  const [row] = await tx
    .update(payments)
    .set({ refundedFen: refunded, status: refunded === pay.amountFen ? 'refunded' : 'partially_refunded' })
    .where(eq(payments.id, paymentId))
    .returning();
  await ctx.bus.publish(
    tx,
    'payment.refunded',
    { paymentId, storeId: pay.storeId, amountFen, reason },
    pay.orgPath,
  );
  return row!;
}

/** Net paid (succeeded minus refunded) for a booking and/or work order. */
export async function paidTotal(
  ex: Executor,
  q: { bookingId?: string | null; workOrderId?: string | null },
): Promise<number> {
  const conds = [];
  if (q.bookingId) conds.push(eq(payments.bookingId, q.bookingId));
  if (q.workOrderId) conds.push(eq(payments.workOrderId, q.workOrderId));
  if (!conds.length) return 0;
  const [r] = await ex
    .select({ n: sql<number>`coalesce(sum(${payments.amountFen} - ${payments.refundedFen}), 0)::int` })
    .from(payments)
    .where(and(or(...conds), inArray(payments.status, ['succeeded', 'partially_refunded'])));
  return r?.n ?? 0;
}

export async function paymentsFor(
  ex: Executor,
  q: { bookingId?: string | null; workOrderId?: string | null },
): Promise<Payment[]> {
  const conds = [];
  if (q.bookingId) conds.push(eq(payments.bookingId, q.bookingId));
  if (q.workOrderId) conds.push(eq(payments.workOrderId, q.workOrderId));
  if (!conds.length) return [];
  return ex
    .select()
    .from(payments)
    .where(or(...conds))
    .orderBy(asc(payments.createdAt));
}

/** 统一社会信用代码: 18 characters with a check character (GB 32100-2015). */
export function validCreditCode(code: string): boolean {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const c = code.toUpperCase();
  if (!/^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/.test(c)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(c[i]!) * weights[i]!;
  const check = (31 - (sum % 31)) % 31;
  return chars[check] === c[17];
}

export async function requestInvoice(
  ctx: AppContext,
  ex: Executor,
  p: Principal,
  paymentId: string,
  input: {
    buyerKind: 'personal' | 'company';
    buyerName: string;
    taxId?: string | undefined;
    address?: string | undefined;
    phone?: string | undefined;
    bankAccount?: string | undefined;
    email?: string | undefined;
  },
): Promise<typeof invoiceRequests.$inferSelect> {
  const pay = await loadPayment(ex, p, paymentId);
  if (pay.status !== 'succeeded' && pay.status !== 'partially_refunded') {
    throw new AppError(
      'invoice.not_paid',
      'conflict',
      'An invoice can be requested for a completed payment only',
    );
  }
  if (input.buyerKind === 'company' && (!input.taxId || !validCreditCode(input.taxId))) {
    throw new AppError(
      'invoice.bad_tax_id',
      'validation',
      'A company invoice needs a valid 18-character unified social credit code (统一社会信用代码)',
    );
  }
  const [row] = await ex
    .insert(invoiceRequests)
    .values({
      id: newId('inv'),
      paymentId,
      orgPath: pay.orgPath,
      ownerId: pay.ownerId,
      buyerKind: input.buyerKind,
      buyerName: input.buyerName,
      taxId: input.taxId?.toUpperCase() ?? null,
      address: input.address ?? null,
      phone: input.phone ?? null,
      bankAccount: input.bankAccount ?? null,
      email: input.email ?? null,
      amountFen: pay.amountFen - pay.refundedFen,
      status: 'requested',
      createdAt: ctx.clock.now(),
    })
    .returning();
  return row!;
}
