// The package from CommonJS, as Jest's default runtime loads it: the same objects as the
// ES module entry.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const portoneMock = require('portone-mock');

test('require and import give the same implementation', async () => {
  const esm = await import('portone-mock');
  assert.equal(esm.startMock, portoneMock.startMock);
  assert.equal(esm.MockServer, portoneMock.MockServer);
});

test('a server started from CommonJS', async () => {
  const mock = await portoneMock.startMock();
  try {
    const payment = await mock.checkout('order-3001', 5000, {
      outcome: 'vbank_ready',
      pay_method: 'vbank',
    });
    assert.equal(payment.status, 'ready');
    assert.equal((await mock.deposit(payment.imp_uid)).status, 'paid');
    await assert.rejects(mock.deposit(payment.imp_uid), (e) => e.status === 409);
  } finally {
    assert.equal(await mock.stop(), 0);
  }
});
