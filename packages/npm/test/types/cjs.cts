// The package's types through `require`, as ts-jest compiles a CommonJS test.
import portoneMock = require('portone-mock');

async function run(): Promise<number> {
  const mock: portoneMock.MockServer = await portoneMock.startMock();
  const payment: portoneMock.Payment = await mock.checkout('order-1', 1000);
  // @ts-expect-error: cancelInConsole takes an amount, not an options object
  await mock.cancelInConsole(payment.imp_uid, { amount: 100 });
  // @ts-expect-error: a server is made by startMock only
  new portoneMock.MockServer('http://127.0.0.1:1');
  return mock.pid;
}

export = run;
