// Vitest: the package as an ES module, and Vitest's fake timers, which must not stall the
// helpers.
import { afterAll, beforeAll, beforeEach, expect, test, vi } from 'vitest';

import { startMock } from 'portone-mock';

let mock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  expect(await mock.stop()).toBe(0);
});
beforeEach(() => mock.reset());

test('a checkout', async () => {
  const payment = await mock.checkout('order-5001', 1000);
  expect(payment.status).toBe('paid');
  await mock.inject('internal_error');
});

test('a clean slate, and a wait under fake timers', async () => {
  expect(await mock.faults()).toEqual([]);
  vi.useFakeTimers();
  try {
    // Nothing will be delivered: the wait polls, backs off and gives up after 50 ms of
    // pauses, on real timers. Faked ones would never fire, and a frozen clock never end it.
    await expect(mock.waitForWebhooks(1, { timeoutMs: 50 })).rejects.toThrow(
      /0 webhook deliveries/,
    );
  } finally {
    vi.useRealTimers();
  }
});
