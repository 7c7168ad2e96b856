'use strict';
// portone-mock from Node: starts the binary this package carries and drives its admin API
// (/__mock/...). The implementation is CommonJS so that `require` works where tests still
// use it (Jest's default runtime loads no ES module from node_modules); `index.js` is the
// ES module entry over it. Types: mock.d.cts.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
// The timers of node:timers/promises, not the global ones: Jest's and Vitest's fake
// timers replace the globals, which would stall a start or a wait for webhooks.
const { setTimeout: sleep } = require('node:timers/promises');

const API_KEY = 'mock_imp_key';
const API_SECRET = 'mock_imp_secret_0123456789abcdef';
const BINARY_ENV = 'PORTONE_MOCK_BINARY';

/** Something went wrong with portone-mock: it would not start, or stopped answering. */
class MockError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'MockError';
  }
}

/** The admin API refused a request (400, 404, 409, ...). */
class MockAdminError extends MockError {
  constructor(status, message) {
    super(`portone-mock answered ${status}: ${message}`);
    this.name = 'MockAdminError';
    this.status = status;
    this.serverMessage = message;
  }
}

/** The binary: $PORTONE_MOCK_BINARY, else the one in this package. */
function binaryPath() {
  const override = process.env[BINARY_ENV];
  if (override) {
    if (!fs.existsSync(override)) {
      throw new MockError(`$${BINARY_ENV} names ${override}, which is not a file`);
    }
    return override;
  }
  const exe = process.platform === 'win32' ? 'portone-mock.exe' : 'portone-mock';
  const bundled = path.join(__dirname, 'bin', exe);
  if (!fs.existsSync(bundled)) {
    throw new MockError(
      `this portone-mock package has no binary for ${process.platform}-${process.arch}; ` +
        `set $${BINARY_ENV} to one (cargo install portone-mock)`,
    );
  }
  return bundled;
}

function amountOf(value) {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`an amount is a finite number, a bigint or a string, not ${value}`);
}

function withoutUndefined(fields) {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The admin API of a portone-mock at `url`, started by startMock or some other way. */
class MockAdmin {
  #adminToken;

  constructor(url, { adminToken, apiKey = API_KEY, apiSecret = API_SECRET } = {}) {
    const base = new URL(url);
    if (base.protocol !== 'http:') {
      throw new MockError(`portone-mock serves plain http, not ${base.protocol} (${url})`);
    }
    this.url = url.replace(/\/+$/, '');
    this.apiKey = apiKey;
    this.apiSecret = apiSecret;
    this.#adminToken = adminToken;
  }

  /** Sends an admin request and resolves to the envelope's `response`. */
  call(method, route, body) {
    const headers = { accept: 'application/json' };
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (data) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(data.length);
    }
    if (this.#adminToken !== undefined) headers.authorization = `Bearer ${this.#adminToken}`;
    return new Promise((resolve, reject) => {
      const request = http.request(`${this.url}/__mock${route}`, { method, headers }, (answer) => {
        const chunks = [];
        answer.on('data', (chunk) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let envelope;
          try {
            envelope = JSON.parse(text);
          } catch {
            envelope = undefined;
          }
          if (answer.statusCode < 200 || answer.statusCode > 299) {
            reject(new MockAdminError(answer.statusCode, envelope?.message || text));
          } else if (envelope === undefined) {
            reject(new MockError(`portone-mock answered what is not JSON: ${text}`));
          } else {
            resolve(envelope.response);
          }
        });
      });
      request.on('error', (e) =>
        reject(
          new MockError(`cannot reach portone-mock at ${this.url}: ${e.message}`, { cause: e }),
        ),
      );
      request.end(data);
    });
  }

  checkout(merchantUid, amount, fields = {}) {
    return this.call('POST', '/checkout', {
      ...withoutUndefined(fields),
      merchant_uid: merchantUid,
      amount: amountOf(amount),
    });
  }

  deposit(impUid) {
    return this.call('POST', `/deposit/${encodeURIComponent(impUid)}`);
  }

  cancelInConsole(impUid, amount) {
    const body = amount === undefined ? {} : { amount: amountOf(amount) };
    return this.call('POST', `/cancel/${encodeURIComponent(impUid)}`, body);
  }

  async advance(seconds) {
    return (await this.call('POST', '/advance', { seconds })).now;
  }

  async inject(kind, narrow = {}) {
    return (await this.call('POST', '/faults', { ...withoutUndefined(narrow), kind })).fault;
  }

  faults() {
    return this.call('GET', '/faults');
  }

  async clearFaults() {
    await this.call('DELETE', '/faults');
  }

  async requests() {
    return (await this.call('GET', '/requests')).requests;
  }

  async getTokenCalls() {
    return (await this.call('GET', '/requests')).get_token_calls;
  }

  async resetLog() {
    await this.call('DELETE', '/requests');
  }

  async webhooks() {
    return (await this.call('GET', '/webhooks')).deliveries;
  }

  // Over HTTP the only way to learn that deliveries settled is to ask again: a bounded
  // poll, backing off to 100 ms. Its deadline is the time it has paused, not the clock,
  // which fake timers freeze.
  async waitForWebhooks(count = 0, { timeoutMs = 30_000 } = {}) {
    let paused = 0;
    let pause = 5;
    for (;;) {
      const { settled, deliveries } = await this.call('GET', '/webhooks');
      if (settled && deliveries.length >= count) return deliveries;
      if (paused >= timeoutMs) {
        throw new MockError(
          `portone-mock: ${deliveries.length} webhook deliveries, settled: ${settled}, ` +
            `after ${timeoutMs} ms (waiting for ${count}, settled)`,
        );
      }
      await sleep(pause);
      paused += pause;
      pause = Math.min(pause * 2, 100);
    }
  }

  async sendWebhook(notification) {
    return (await this.call('POST', '/webhooks', withoutUndefined(notification))).id;
  }

  async duplicateWebhook(id) {
    return (await this.call('POST', `/webhooks/${Number(id)}/duplicate`)).id;
  }

  async reset() {
    await this.call('POST', '/reset');
  }

  payUrl(merchantUid, amount, redirectUrl, fields = {}) {
    const query = new URLSearchParams({
      ...withoutUndefined(fields),
      merchant_uid: merchantUid,
      amount: String(amountOf(amount)),
      redirect_url: redirectUrl,
    });
    if (this.#adminToken !== undefined) query.set('admin_token', this.#adminToken);
    return `${this.url}/__mock/pay?${query}`;
  }
}

// Servers still running when Node exits are sent SIGTERM then (they stop on their own; a
// state file holds every change already): a test that forgets stop() leaves no process behind.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/** A portone-mock process with the admin helpers. */
class MockServer extends MockAdmin {
  #child;
  #stderr;
  #exited;

  constructor(child, url, stderr, exited, admin) {
    super(url, admin);
    this.#child = child;
    this.#stderr = stderr;
    this.#exited = exited;
  }

  get pid() {
    return this.#child.pid;
  }

  get running() {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  stderrTail() {
    return this.#stderr.join('');
  }

  // SIGTERM, as the binary expects (requests in flight finish; a state file holds every
  // change already), then SIGKILL after `graceMs`.
  async stop({ graceMs = 10_000 } = {}) {
    if (this.running) {
      this.#child.kill('SIGTERM');
      const killer = new AbortController();
      sleep(graceMs, undefined, { signal: killer.signal }).then(
        () => this.#child.kill('SIGKILL'),
        () => {},
      );
      await this.#exited;
      killer.abort();
    }
    running.delete(this.#child);
    return this.#child.exitCode ?? this.#child.signalCode;
  }
}

function flags(options) {
  const args = [
    '--host',
    options.host ?? '127.0.0.1',
    '--port',
    String(options.port ?? 0),
    '--api-key',
    options.apiKey ?? API_KEY,
    '--webhook-format',
    options.webhookFormat ?? 'json',
  ];
  if (options.frozenClock) args.push('--frozen-clock');
  if (options.agency?.length) args.push('--agency', options.agency.join(','));
  if (options.webhookUrl !== undefined) args.push('--webhook-url', options.webhookUrl);
  if (options.webhookResend) args.push('--webhook-resend');
  if (options.liveQuirks) args.push('--live-quirks');
  if (options.state !== undefined) args.push('--state', String(options.state));
  return args.concat(options.args ?? []);
}

/** Starts portone-mock on a free port; resolves once it listens. */
async function startMock(options = {}) {
  const binary = options.binary ?? binaryPath();
  const apiSecret = options.apiSecret ?? API_SECRET;
  // Secrets reach the process through its environment, not its command line (which
  // `ps` shows to everyone); an admin token inherited from ours would lock us out.
  const env = { ...process.env, ...options.env, PORTONE_MOCK_API_SECRET: apiSecret };
  delete env.PORTONE_MOCK_ADMIN_TOKEN;
  if (options.adminToken !== undefined) env.PORTONE_MOCK_ADMIN_TOKEN = options.adminToken;

  const child = spawn(binary, flags(options), { stdio: ['ignore', 'pipe', 'pipe'], env });
  const stderr = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    stderr.push(text);
    if (stderr.length > 200) stderr.shift();
  });
  const exited = new Promise((resolve) => child.once('close', resolve));
  running.add(child);

  return new Promise((resolve, reject) => {
    let stdout = '';
    let settled = false;
    const timer = new AbortController();
    const fail = (why) => {
      if (settled) return;
      settled = true;
      timer.abort();
      child.kill('SIGKILL');
      running.delete(child);
      exited.then(() => {
        const log = stderr.join('').trim() || '(nothing on standard error)';
        reject(new MockError(`portone-mock did not start (${why}): ${log}`));
      });
    };
    sleep(options.startupTimeoutMs ?? 30_000, undefined, { signal: timer.signal }).then(
      () => fail('no address reported in time'),
      () => {},
    );
    const onExit = (code, signal) => fail(`exit code ${code ?? signal}`);
    child.on('error', (e) => fail(e.message));
    child.once('exit', onExit);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', function onData(text) {
      stdout += text;
      const end = stdout.indexOf('\n');
      if (end < 0 || settled) return;
      settled = true;
      child.stdout.off('data', onData);
      child.stdout.resume(); // nothing else is written there; never let the pipe fill
      child.off('exit', onExit);
      timer.abort();
      // A server left running must not keep Node alive: the exit hook above stops it.
      child.unref();
      child.stdout.unref?.();
      child.stderr.unref?.();
      resolve(
        new MockServer(child, stdout.slice(0, end).trim(), stderr, exited, {
          adminToken: options.adminToken,
          apiKey: options.apiKey ?? API_KEY,
          apiSecret,
        }),
      );
    });
  });
}

module.exports = {
  API_KEY,
  API_SECRET,
  BINARY_ENV,
  MockAdmin,
  MockAdminError,
  MockError,
  MockServer,
  binaryPath,
  startMock,
};
