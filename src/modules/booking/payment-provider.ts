/**
 * Payment providers behind one interface. The sandbox provider behaves like a real one: it issues
 * a provider reference, and it reports the outcome with an HMAC-SHA256-signed callback carrying a
 * timestamp and a one-time nonce. Real providers (WeChat Pay, Alipay) are adapters with the same
 * contract, selected by configuration.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/errors.js';

export interface CallbackPayload {
  paymentId: string;
  providerRef: string;
  status: 'succeeded' | 'failed';
  amountFen: number;
  nonce: string;
}

export interface PaymentProvider {
  readonly name: string;
  /** Starts a charge; returns the provider's reference and where the payer goes. */
  createCharge(p: { paymentId: string; amountFen: number }): Promise<{ providerRef: string; payUrl: string }>;
  /** Refunds (synchronously settled by the sandbox). */
  refund(p: { providerRef: string; amountFen: number }): Promise<{ refundRef: string }>;
  /** Verifies a callback's signature and freshness and returns its payload, or throws. */
  verifyCallback(rawBody: string, headers: Record<string, string | undefined>, now: Date): CallbackPayload;
}

export const CALLBACK_MAX_SKEW_MS = 5 * 60_000;

export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox';
  constructor(
    private readonly key: string,
    private readonly publicUrl: string,
  ) {}

  async createCharge(p: {
    paymentId: string;
    amountFen: number;
  }): Promise<{ providerRef: string; payUrl: string }> {
    return {
      providerRef: `sbx_${randomBytes(10).toString('hex')}`,
      payUrl: `${this.publicUrl}/api/v1/payments/${p.paymentId}/sandbox/pay`,
    };
  }

  async refund(): Promise<{ refundRef: string }> {
    return { refundRef: `sbxr_${randomBytes(10).toString('hex')}` };
  }

  sign(rawBody: string, timestamp: number): string {
    return createHmac('sha256', this.key).update(`${timestamp}.${rawBody}`).digest('hex');
  }

  /** What the sandbox sends when the payer completes (or fails) a charge. */
  makeCallback(
    payload: Omit<CallbackPayload, 'nonce'>,
    now: Date,
  ): { rawBody: string; headers: Record<string, string> } {
    const rawBody = JSON.stringify({ ...payload, nonce: randomBytes(12).toString('hex') });
    const ts = now.getTime();
    return {
      rawBody,
      headers: { 'x-sandbox-timestamp': String(ts), 'x-sandbox-signature': this.sign(rawBody, ts) },
    };
  }

  verifyCallback(rawBody: string, headers: Record<string, string | undefined>, now: Date): CallbackPayload {
    const ts = Number(headers['x-sandbox-timestamp']);
    const sig = headers['x-sandbox-signature'] ?? '';
    const expected = Buffer.from(this.sign(rawBody, ts));
    const given = Buffer.from(sig);
    if (!Number.isFinite(ts) || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new AppError(
        'payment.bad_signature',
        'unauthenticated',
        'The callback signature does not verify',
      );
    }
    if (Math.abs(now.getTime() - ts) > CALLBACK_MAX_SKEW_MS) {
      throw new AppError(
        'payment.stale_callback',
        'unauthenticated',
        'The callback timestamp is too old or in the future',
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new AppError('payment.bad_callback', 'bad_request', 'The callback body is not JSON');
    }
    const b = body as Partial<CallbackPayload>;
    if (
      typeof b.paymentId !== 'string' ||
      typeof b.providerRef !== 'string' ||
      (b.status !== 'succeeded' && b.status !== 'failed') ||
      !Number.isSafeInteger(b.amountFen) ||
      typeof b.nonce !== 'string' ||
      b.nonce.length < 8
    ) {
      throw new AppError('payment.bad_callback', 'validation', 'The callback body is missing fields');
    }
    return b as CallbackPayload;
  }
}
