// A Node project's tests against PortOne with the packaged API only: one server for the
// file, reset before each test, and fetch standing in for the code under test.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, test } from 'node:test';

import { MockAdminError, MockError, startMock } from 'portone-mock';

let mock;
before(async () => {
  mock = await startMock();
});
after(async () => {
  assert.equal(await mock.stop(), 0);
});
beforeEach(() => mock.reset());

async function api(method, path, { token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const answer = await fetch(mock.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: answer.status,
    type: answer.headers.get('content-type'),
    text: await answer.text(),
  };
}

async function token() {
  const { status, text } = await api('POST', '/users/getToken', {
    body: { imp_key: mock.apiKey, imp_secret: mock.apiSecret },
  });
  assert.equal(status, 200, text);
  return JSON.parse(text).response.access_token;
}

test('a checkout is what a plain HTTP client finds', async () => {
  const payment = await mock.checkout('order-2001', 15000, { buyer_email: 'buyer@example.com' });
  assert.equal(payment.status, 'paid');

  const { status, text } = await api('GET', `/payments/${payment.imp_uid}`, {
    token: await token(),
  });
  assert.equal(status, 200);
  const found = JSON.parse(text);
  assert.equal(found.code, 0);
  assert.equal(found.response.merchant_uid, 'order-2001');
  assert.equal(found.response.amount, 15000);
  assert.equal(found.response.buyer_email, 'buyer@example.com');
  assert.equal(await mock.getTokenCalls(), 1);
});

test('a partial refund, guarded by the balance', async () => {
  const { imp_uid } = await mock.checkout('order-2002', 15000);
  const access = await token();
  const refund = { imp_uid, amount: 5000, checksum: 15000, reason: 'one item' };

  let answer = await api('POST', '/payments/cancel', { token: access, body: refund });
  assert.equal(answer.status, 200);
  const cancelled = JSON.parse(answer.text).response;
  assert.equal(cancelled.cancel_amount, 5000);
  assert.equal(cancelled.status, 'paid'); // partly refunded: still paid

  // Again: the balance moved, so PortOne refuses it (code 1 with HTTP 200).
  answer = await api('POST', '/payments/cancel', { token: access, body: refund });
  assert.equal(answer.status, 200);
  assert.equal(JSON.parse(answer.text).code, 1);
  const sent = (await mock.requests()).filter((r) => r.path === '/payments/cancel');
  assert.equal(sent.length, 2);
  assert.equal(JSON.parse(sent[0].body).checksum, 15000);
});

test('a fault on one route, for one request', async () => {
  const { imp_uid } = await mock.checkout('order-2003', 1000);
  const fault = await mock.inject('html_502', {
    method: 'GET',
    path: '/payments/{imp_uid}',
    times: 1,
  });
  assert.equal(fault.remaining, 1);
  const access = await token();

  let answer = await api('GET', `/payments/${imp_uid}`, { token: access });
  assert.equal(answer.status, 502);
  assert.match(answer.type, /^text\/html/);
  answer = await api('GET', `/payments/${imp_uid}`, { token: access });
  assert.equal(answer.status, 200);
  assert.equal(JSON.parse(answer.text).response.status, 'paid');
  const gets = (await mock.requests()).filter((r) => r.method === 'GET');
  assert.deepEqual(
    gets.map((r) => r.fault),
    ['html_502', null],
  );
  assert.equal((await mock.faults())[0].remaining, 0);
});

test('webhooks reach a local receiver', async (t) => {
  const received = [];
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks)));
      res.end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => receiver.close(resolve)));
  const url = `http://127.0.0.1:${receiver.address().port}/portone`;

  const payment = await mock.checkout('order-2004', 9900, { notice_url: url });
  const cancelled = await mock.cancelInConsole(payment.imp_uid, 900);
  const deliveries = await mock.waitForWebhooks(2);
  assert.deepEqual(
    deliveries.map((d) => d.state),
    ['delivered', 'delivered'],
  );
  assert.deepEqual(
    deliveries.map((d) => d.event),
    ['paid', 'console_cancelled'],
  );
  // Sent at once, as PortOne does: they may arrive in either order.
  const byStatus = Object.fromEntries(received.map((body) => [body.status, body]));
  assert.deepEqual(byStatus.paid, {
    imp_uid: payment.imp_uid,
    merchant_uid: 'order-2004',
    status: 'paid',
  });
  assert.equal(byStatus.cancelled.cancellation_id, cancelled.cancellation_id);

  // A duplicate, which the receiver must handle idempotently, is the same body again.
  const again = await mock.duplicateWebhook(deliveries[0].id);
  assert.equal((await mock.waitForWebhooks(3)).at(-1).id, again);
  assert.deepEqual(received[2], byStatus.paid);
});

// These two run in this order (node:test runs a file's tests one after the other): the
// second sees nothing of the first, through beforeEach's reset.
const first = {};
test('reset, part 1: leave records, a fault and a token behind', async () => {
  first.imp_uid = (await mock.checkout('order-2005', 1000)).imp_uid;
  await token();
  await mock.inject('internal_error');
  assert.equal((await mock.requests()).length, 1);
});

test('reset, part 2: none of it is left', async () => {
  assert.ok(first.imp_uid, 'part 1 ran first');
  assert.deepEqual(await mock.faults(), []);
  assert.deepEqual(await mock.requests(), []);
  await assert.rejects(
    mock.deposit(first.imp_uid),
    (e) => e instanceof MockAdminError && e.status === 404,
  );
});

test('a refused flag rejects the start with the reason', async () => {
  await assert.rejects(
    startMock({ agency: ['not-a-tier'] }),
    (e) => e instanceof MockError && e.message.includes('not-a-tier'),
  );
});

test('stop ends the process', async () => {
  const other = await startMock({ frozenClock: true });
  const before = await other.advance(0);
  assert.equal(await other.advance(60), before + 60); // frozen: only advance moves it
  assert.equal(await other.stop(), 0);
  assert.equal(other.running, false);
  await assert.rejects(other.faults(), MockError);
});
