// Drives a running portone-mock with the Node client `iamporter` (npm).
//
// Usage: node check.js BASE_URL API_SECRET
//
// The mock is started with the key `imp_apikey`; the client keeps its own default,
// `imp_apiKey`, with which both published Node clients passed their live test suites:
// PortOne matches `imp_key` without regard to case. Each step asserts what the client
// returned; the script ends with the plain line "N passed, M failed" and exits non-zero
// on any failure.
//
// What the client does (read from its source, lib/Iamporter.js, version 1.4.2):
// - it sends the token as `Authorization: <token>` and keeps it until `expired_at` by the
//   local clock, so the mock's clock must follow real time (no --frozen-clock);
// - a 404 is resolved, not rejected: lookups of nothing resolve with `status` 404;
// - `findAllByMerchantUid(m)` asks for `/payments/findAll/m/`, with a trailing slash;
// - `paySubscription`, `payOnetime` and `payForeign` reject any payment that is not
//   `paid` for the amount asked, with the payment's `fail_reason` as the message.
'use strict';

const assert = require('assert');
const { Iamporter } = require('iamporter');

const [base, secret] = process.argv.slice(2);
const APPROVED = '4111-1111-1111-1111';
const INSUFFICIENT_FUNDS = '5555-0000-0000-0051';

const client = new Iamporter({ host: base, secret });
assert.strictEqual(client.apiKey, 'imp_apiKey');

async function checkout(merchantUid, amount) {
  const res = await fetch(`${base}/__mock/checkout`, {
    method: 'POST',
    body: JSON.stringify({ merchant_uid: merchantUid, amount }),
  });
  const answer = await res.json();
  assert.strictEqual(answer.code, 0, JSON.stringify(answer));
  return answer.response.imp_uid;
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('resolved where a rejection was expected');
}

const steps = [];
const step = (name, f) => steps.push([name, f]);
const state = {};

step('getToken with the key in another letter case', async () => {
  const res = await client.getToken();
  assert.strictEqual(res.status, 200);
  assert.match(res.data.access_token, /^[0-9a-f]{40}$/);
});

step('checkout through the admin API, then lookups', async () => {
  state.impUid = await checkout('node-order-1', 10000);
  const byUid = await client.findByImpUid(state.impUid);
  assert.deepStrictEqual([byUid.data.status, byUid.data.amount], ['paid', 10000]);
  const byOrder = await client.findByMerchantUid('node-order-1');
  assert.strictEqual(byOrder.data.imp_uid, state.impUid);
  const missing = await client.findByImpUid('imp_000000000000');
  assert.strictEqual(missing.status, 404);
});

step('findAllByMerchantUid (its path ends with a slash)', async () => {
  const all = await client.findAllByMerchantUid('node-order-1');
  assert.strictEqual(all.status, 200);
  assert.strictEqual(all.data.list[0].imp_uid, state.impUid);
});

step('a partial refund guarded by checksum, then a full refund', async () => {
  const partial = await client.cancelByImpUid(state.impUid, { amount: 3000, checksum: 10000 });
  assert.deepStrictEqual([partial.data.status, partial.data.cancel_amount], ['paid', 3000]);
  const full = await client.cancelByMerchantUid('node-order-1');
  assert.deepStrictEqual([full.data.status, full.data.cancel_amount], ['cancelled', 10000]);
});

step('a refund on /payments/cancel/ (trailing slash)', async () => {
  const impUid = await checkout('node-order-2', 5000);
  const refund = await client._request({
    method: 'POST', url: '/payments/cancel/', data: { imp_uid: impUid },
  });
  assert.strictEqual(refund.data.status, 'cancelled');
});

step('a billing key, and a charge with it', async () => {
  const key = await client.createSubscription({
    customer_uid: 'node-key-1', card_number: APPROVED, expiry: '2099-12', birth: '900101',
  });
  assert.strictEqual(key.data.card_number, '411111******1111');
  const paid = await client.paySubscription({
    customer_uid: 'node-key-1', merchant_uid: 'node-again-1', amount: 2500, name: 'monthly',
  });
  assert.deepStrictEqual([paid.data.status, paid.data.amount], ['paid', 2500]);
});

step('a charge the card company declines', async () => {
  await client.createSubscription({
    customer_uid: 'node-key-poor', card_number: INSUFFICIENT_FUNDS, expiry: '2099-12',
    birth: '900101',
  });
  const e = await rejection(client.paySubscription({
    customer_uid: 'node-key-poor', merchant_uid: 'node-again-2', amount: 2500, name: 'monthly',
  }));
  assert.strictEqual(e.message, '잔액부족');
  const recorded = await client.findByMerchantUid('node-again-2');
  assert.strictEqual(recorded.data.status, 'failed');
});

step('an unknown customer', async () => {
  const e = await rejection(client.paySubscription({
    customer_uid: 'node-ghost', merchant_uid: 'node-again-3', amount: 100, name: 'x',
  }));
  assert.strictEqual(e.message, '등록되지 않은 구매자입니다.');
  assert.strictEqual(e.raw.code, 1);
});

step('a wrong secret is refused with 401', async () => {
  const wrong = new Iamporter({ host: base, secret: 'not-the-secret' });
  const e = await rejection(wrong.getToken());
  assert.strictEqual(e.status, 401);
});

step('a one-time payment with a card issued abroad', async () => {
  const paid = await client.payForeign({
    merchant_uid: 'node-foreign-1', amount: 1200, card_number: APPROVED, expiry: '2099-12',
  });
  assert.strictEqual(paid.data.status, 'paid');
});

(async () => {
  let passed = 0;
  let failed = 0;
  for (const [name, f] of steps) {
    try {
      await f();
      passed += 1;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${name}`);
      console.log(e && e.stack ? e.stack : e);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
