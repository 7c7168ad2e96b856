// Types of portone-mock (mock.cjs); index.d.ts gives the same to `import`.

/** The `imp_key` the binary accepts unless told otherwise. */
export declare const API_KEY: string;
/** The `imp_secret` the binary accepts unless told otherwise. */
export declare const API_SECRET: string;
/** The environment variable that names a binary to run instead of the packaged one. */
export declare const BINARY_ENV: 'PORTONE_MOCK_BINARY';

/**
 * An amount of money: a number (whole won, or a finite number for other currencies), a
 * bigint, or a string holding a decimal number (`"10.50"`), sent as it is written.
 */
export type Amount = number | bigint | string;

/** How a checkout ends. */
export type Outcome = 'paid' | 'failed' | 'vbank_ready';

/** What a fault makes PortOne's routes do (the crate's `Fault` constructors). */
export type FaultKind =
  | 'delay'
  | 'delay_after_processing'
  | 'respond'
  | 'html_502'
  | 'service_unavailable'
  | 'gateway_timeout'
  | 'internal_error'
  | 'unauthorized'
  | 'close_connection'
  | 'reset_connection'
  | 'close_before_body'
  | 'drop_response'
  | 'reset_mid_body'
  | 'malformed_json'
  | 'wrong_content_type';

/**
 * A payment as `GET /payments/{imp_uid}` answers it. PortOne's payment has some sixty
 * fields; the common ones are typed, the rest are there too.
 */
export interface Payment {
  imp_uid: string;
  merchant_uid: string;
  amount: number;
  cancel_amount: number;
  currency: string;
  status: 'ready' | 'paid' | 'failed' | 'cancelled';
  pay_method: string;
  pg_provider: string;
  name: string | null;
  buyer_email: string | null;
  fail_reason: string | null;
  paid_at: number;
  failed_at: number;
  cancelled_at: number;
  /** Only in the answer of `cancelInConsole`. */
  cancellation_id?: string;
  [field: string]: unknown;
}

/** The fields of a checkout besides its order and amount (the crate's README lists them). */
export interface CheckoutFields {
  /** `paid` (the default), `failed`, or `vbank_ready`. */
  outcome?: Outcome;
  /**
   * A test card: one the issuer declines (`…0051` insufficient funds, `…0061` over the
   * limit, `…0043` lost or stolen) fails the payment with its reason. Never stored.
   */
  card_number?: string;
  pay_method?: string;
  /** `provider` or `provider.pg_id` (`kakaopay`, `html5_inicis.INIpayTest`). */
  pg?: string;
  /** A test-channel payment, hidden from lookups without `include_sandbox=true`. */
  sandbox?: boolean;
  /** The agency tier the payment belongs to. */
  tier?: string;
  /** Where its webhooks go. */
  notice_url?: string | string[];
  name?: string;
  buyer_name?: string;
  buyer_email?: string;
  buyer_tel?: string;
  currency?: string;
  escrow?: boolean;
  /** Any JSON, kept as its text, as PortOne does. */
  custom_data?: unknown;
  fail_reason?: string;
}

/** What narrows a fault, and what some kinds take. */
export interface FaultOptions {
  /** Only this method (any when absent). */
  method?: string;
  /** Only this path, exact or with `{name}` segments (`/payments/{imp_uid}`). */
  path?: string;
  /** Only the first `times` matching requests. */
  times?: number;
  /** Waits this long before the fault acts. */
  after_ms?: number;
  /** `delay`, `delay_after_processing`: how long. */
  delay_ms?: number;
  /** `respond`: the status (100 to 999). */
  status?: number;
  /** `respond`: the content type (JSON by default). */
  content_type?: string;
  /** `respond`: the body (empty by default). */
  body?: string;
}

/** A fault in force. */
export interface Fault {
  kind: FaultKind;
  method: string | null;
  path: string | null;
  times: number | null;
  /** Uses left (`null`: unlimited). */
  remaining: number | null;
  after_ms: number | null;
}

/** A request PortOne's API received, exactly as sent (secrets included). */
export interface RecordedRequest {
  method: string;
  /** Still percent-encoded. */
  path: string;
  /** Without `?`, still percent-encoded; `null` when there was none. */
  query: string | null;
  /** `[name, value]` pairs in arrival order, names in lower case. */
  headers: [string, string][];
  /** The body as text. */
  body: string;
  /** The fault applied to it, if any. */
  fault: FaultKind | null;
}

/** What a notification says. */
export interface Webhook {
  imp_uid: string;
  merchant_uid: string;
  status: string;
  cancellation_id?: string;
}

/** One try at delivering a notification. */
export interface WebhookAttempt {
  /** Unix seconds on the mock clock. */
  at: number;
  /** The receiver's HTTP status, if it answered. */
  status: number | null;
  /** Why no answer came, if none came. */
  error: string | null;
}

/** A notification the mock sent (or is sending), with every attempt. */
export interface WebhookDelivery {
  id: number;
  event:
    | 'paid'
    | 'vbank_issued'
    | 'vbank_deposited'
    | 'schedule_paid'
    | 'schedule_failed'
    | 'cancelled'
    | 'console_cancelled'
    | 'test';
  url: string;
  content_type: string;
  /** The body, exactly as sent. */
  body: string;
  webhook: Webhook;
  tier: string | null;
  created_at: number;
  attempts: WebhookAttempt[];
  state: 'sending' | 'retrying' | 'delivered' | 'failed';
  next_attempt_at: number | null;
}

/** Something went wrong with portone-mock: it would not start, or stopped answering. */
export declare class MockError extends Error {}

/** The admin API refused a request: 400 (wrong input), 404 (unknown id), 409 (wrong state). */
export declare class MockAdminError extends MockError {
  /** The HTTP status. */
  readonly status: number;
  /** The server's message, in English. */
  readonly serverMessage: string;
}

/** How to reach the admin API of a server started some other way. */
export interface AdminOptions {
  /** The server's `--admin-token`, sent as `Authorization: Bearer`. */
  adminToken?: string;
  /** The server's `imp_key` (default {@link API_KEY}). */
  apiKey?: string;
  /** The server's `imp_secret` (default {@link API_SECRET}). */
  apiSecret?: string;
}

/**
 * The admin API (`/__mock/...`) of a portone-mock at `url`: what a Rust test does with
 * the crate's `MockServer`, over HTTP. Every method rejects with {@link MockAdminError}
 * when the server refuses and with {@link MockError} when it cannot be reached.
 */
export declare class MockAdmin {
  constructor(url: string, options?: AdminOptions);
  /** The URL to point a PortOne client at, without a trailing slash. */
  readonly url: string;
  /** The `imp_key` getToken accepts. */
  readonly apiKey: string;
  /** The `imp_secret` getToken accepts. */
  readonly apiSecret: string;
  /** Any admin route (`route` below `/__mock`); resolves to the envelope's `response`. */
  call(method: string, route: string, body?: unknown): Promise<unknown>;
  /**
   * Completes a checkout as the buyer's browser would and resolves to the payment.
   * Rejects with a 400 for an unusable field.
   */
  checkout(merchantUid: string, amount: Amount, fields?: CheckoutFields): Promise<Payment>;
  /** The buyer pays into a ready virtual account (404 unknown, 409 not waiting for it). */
  deposit(impUid: string): Promise<Payment>;
  /**
   * A cancel in PortOne's console, which notifies `cancelled`: the whole balance, or
   * `amount`. Resolves to the payment with its `cancellation_id`; 409 when PortOne
   * would refuse it.
   */
  cancelInConsole(impUid: string, amount?: Amount): Promise<Payment>;
  /** Moves the mock clock forward; resolves to the new time in unix seconds. */
  advance(seconds: number): Promise<number>;
  /** Makes PortOne's routes misbehave; resolves to the fault in force. */
  inject(kind: FaultKind, options?: FaultOptions): Promise<Fault>;
  /** Every fault in force, with the uses it has left. */
  faults(): Promise<Fault[]>;
  /** Removes every fault. */
  clearFaults(): Promise<void>;
  /** Every request PortOne's API received since the last reset, in order. */
  requests(): Promise<RecordedRequest[]>;
  /** How many times getToken was called since the last reset. */
  getTokenCalls(): Promise<number>;
  /** Forgets the requests received so far, and the count of getToken calls. */
  resetLog(): Promise<void>;
  /** Every webhook delivery so far, with its attempts. */
  webhooks(): Promise<WebhookDelivery[]>;
  /**
   * Waits until at least `count` deliveries exist and none is on its way or due, then
   * resolves to them all; rejects with a {@link MockError} after `timeoutMs` (30 s) of
   * pauses between polls (real time, even under Jest's or Vitest's fake timers).
   */
  waitForWebhooks(count?: number, options?: { timeoutMs?: number }): Promise<WebhookDelivery[]>;
  /** POSTs a notification of your own to `url` (a forgery); resolves to the delivery's id. */
  sendWebhook(notification: Webhook & { url: string }): Promise<number>;
  /** Sends delivery `id` again, as PortOne can; resolves to the new delivery's id. */
  duplicateWebhook(id: number): Promise<number>;
  /**
   * Forgets every record, the request log, the faults, the webhook deliveries and the
   * access token, and puts the clock back to real time. Ids keep counting.
   */
  reset(): Promise<void>;
  /**
   * The pay page for an order: a browser clicks `#approve`, `#decline` or `#cancel` and
   * comes back to `redirectUrl` with `imp_uid`, `merchant_uid` and `imp_success`.
   */
  payUrl(
    merchantUid: string,
    amount: Amount,
    redirectUrl: string,
    fields?: Record<string, string>,
  ): string;
}

/** A portone-mock process, with the admin helpers: made by {@link startMock} only. */
export declare class MockServer extends MockAdmin {
  private constructor();
  /** The process id. */
  readonly pid: number;
  /** Whether the process is still running. */
  readonly running: boolean;
  /** The last lines it wrote on standard error (its logs). */
  stderrTail(): string;
  /**
   * Stops it as SIGTERM does (requests in flight finish, the state file is written),
   * with SIGKILL after `graceMs` (10 s); resolves to its exit code, 0 for a clean stop.
   */
  stop(options?: { graceMs?: number }): Promise<number | string | null>;
}

/** The binary's flags, and how to run it. */
export interface StartOptions {
  /** `--frozen-clock`: the clock moves only on `advance`. */
  frozenClock?: boolean;
  /** `--agency`: an agency account with these tier codes. */
  agency?: string[];
  /** `--webhook-url`: where webhooks go for payments without a `notice_url`. */
  webhookUrl?: string;
  /** `--webhook-format`. */
  webhookFormat?: 'json' | 'form';
  /** `--webhook-resend`: re-sends after a network error or a 5xx. */
  webhookResend?: boolean;
  /** `--live-quirks`: bodies as PortOne's live server writes them. */
  liveQuirks?: boolean;
  /** `--state`: keeps the state in this SQLite file (created if missing), each change committed before its answer, so it survives a crash. */
  state?: string;
  /** The `imp_key` getToken accepts (default {@link API_KEY}). */
  apiKey?: string;
  /** The `imp_secret` getToken accepts (default {@link API_SECRET}); passed in the environment. */
  apiSecret?: string;
  /** `--admin-token`, passed in the environment; the helpers send it. */
  adminToken?: string;
  /** `--host` (default `127.0.0.1`). */
  host?: string;
  /** `--port`; 0, the default, picks a free one. */
  port?: number;
  /** More flags, passed as they are. */
  args?: string[];
  /** More environment variables (`{ RUST_LOG: 'debug' }`). */
  env?: Record<string, string>;
  /** Another binary than {@link binaryPath}'s. */
  binary?: string;
  /** How long to wait for the binary to report its address (30 000 ms). */
  startupTimeoutMs?: number;
}

/**
 * Starts portone-mock on a free port and resolves once it listens. Rejects with a
 * {@link MockError} carrying the binary's reason when it will not start (a refused flag,
 * a state file it cannot read).
 */
export declare function startMock(options?: StartOptions): Promise<MockServer>;

/** The binary: `$PORTONE_MOCK_BINARY`, else the one in this package. Throws when neither exists. */
export declare function binaryPath(): string;
