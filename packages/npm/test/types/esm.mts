// The package's types as an ES module sees them; `tsc --noEmit` must accept this file,
// and each @ts-expect-error line must be an error.
import {
  MockAdminError,
  startMock,
  type Fault,
  type Payment,
  type RecordedRequest,
  type WebhookDelivery,
} from 'portone-mock';

const mock = await startMock({ frozenClock: true, agency: ['A1B'], env: { RUST_LOG: 'debug' } });
const payment: Payment = await mock.checkout('order-1', 15000, {
  notice_url: ['http://127.0.0.1:9/a'],
});
const imp_uid: string = payment.imp_uid;
const paid: 'ready' | 'paid' | 'failed' | 'cancelled' = payment.status;
const fault: Fault = await mock.inject('html_502', {
  method: 'GET',
  path: '/payments/{imp_uid}',
  times: 1,
});
const log: RecordedRequest[] = await mock.requests();
const deliveries: WebhookDelivery[] = await mock.waitForWebhooks(1, { timeoutMs: 5000 });
const now: number = await mock.advance(60);
const id: number = await mock.sendWebhook({
  url: 'http://127.0.0.1:9/',
  imp_uid,
  merchant_uid: 'order-1',
  status: 'paid',
});
const page: string = mock.payUrl('order-2', '10.50', 'http://127.0.0.1:3000/done', {
  pay_method: 'card',
});
const code: number | string | null = await mock.stop();
try {
  await mock.deposit(imp_uid);
} catch (e) {
  if (e instanceof MockAdminError) {
    const status: number = e.status;
  }
}

// @ts-expect-error: an outcome the mock does not know
await mock.checkout('order-3', 1000, { outcome: 'refunded' });
// @ts-expect-error: a fault kind the mock does not know
await mock.inject('explode');
// @ts-expect-error: a flag the binary does not have
await startMock({ frozen: true });
// @ts-expect-error: an amount is a number, a bigint or a string
await mock.checkout('order-4', { value: 1000 });

export { code, deliveries, fault, id, log, now, page, paid };
