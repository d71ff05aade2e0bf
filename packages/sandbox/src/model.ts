// The sandbox's state, per merchant: what the platform knows. Plain JSON so that `statePath` can
// persist it. Card data is kept masked only (CARDNO → 622848******1234; CVN2, EXPDATE, ID_NO are
// never stored), so the inspection API and the state file never hold card data.
import type { EnvelopeFamily } from '@mmsp/codec';

/** The families that speak the MD5 envelope (the codec's one name for them). */
export type { EnvelopeFamily };

/** Life of a payment order, in the sandbox's own words; each family maps it to its STATUS codes. */
export type OrderState = 'pending' | 'paying' | 'paid' | 'failed' | 'closed' | 'refunded';

export interface MerchantRecord {
  merchantNo: string;
  terminalNo: string;
  /** MD5 key (PROTOCOL §2, §3). */
  key: string;
  /** Agency mode: requests carrying this AGENTNO are signed with `agentKey` (PROTOCOL §3, agent key first). */
  agentNo?: string;
  agentKey?: string;
  /** The merchant's registered RSA public key (payout, PROTOCOL §6). */
  publicKeyPem?: string;
  /** Only for merchants the sandbox generated keys for (the test merchant): handed out by GET /_sandbox/merchant. */
  privateKeyPem?: string;
  ledger: Ledger;
}

/** Payout ledger, integer fen as decimal strings (payout §5.3). */
export interface Ledger {
  /** BALANCEPAY: available for balance payouts (PAYTYPE 1). */
  balance: string;
  /** ADVANCEPAY: available for advance payouts (PAYTYPE 3). */
  advance: string;
  /** FREEZEBAL: payouts in flight. */
  frozen: string;
  /** BALANCE: pending settlement (T1 income); grows with every paid order. */
  pendingSettlement: string;
}

/** An SMS verification code the sandbox "sent" (quick pay), as `GET /_sandbox/sms` lists it. */
export interface SmsRecord {
  /** `MERNO`. */
  merchantNo: string;
  /** LIST_ID of the order or binding the code is for. */
  platformOrderId: string;
  /** `MERORDERID`. */
  merchantOrderId: string;
  /** The phone number, masked. */
  phone: string;
  /** The code to confirm with. */
  code: string;
  /** When it was sent (ms since the epoch, the sandbox's clock). */
  sentAt: number;
  /** What it confirms: a payment, a bound-card payment or a card binding. */
  purpose: 'pay' | 'boundPay' | 'bind';
}

/**
 * A payment order as the sandbox platform keeps it (quick pay, scan code, gateway), as
 * {@link Sandbox.orders} and `GET /_sandbox/orders` show it. Card data is kept masked only (`CVN2`,
 * `EXPDATE`, `ID_NO` are never stored).
 */
export interface PaymentOrder {
  /** `quickPay`, `scan` or `gateway`. */
  family: EnvelopeFamily;
  /** The catalogue operation that created it, e.g. `scan.wechatOrder`. */
  operation: string;
  /** `MERNO`. */
  merchantNo: string;
  /** `MERORDERID`. */
  merchantOrderId: string;
  /** The platform's order number: `LIST_ID` (quick pay, gateway) or `ORDERNO` (scan code). */
  platformOrderId: string;
  /** `AMT`: integer fen as a string (PROTOCOL §7). */
  amount: string;
  /** Where the order is in its life. */
  state: OrderState;
  /** Creation time (ms since the epoch, the sandbox's clock). */
  createdAt: number;
  /** When it was paid. */
  paidAt?: number;
  /** When an unpaid order closes (`TIME_END`, or `orderTtlMs`). */
  expiresAt?: number;
  /** When a `paying` micropay or payout settles by itself. */
  settleAt?: number;
  /** What a `paying` order settles to at `settleAt`. */
  settleTo?: 'paid' | 'failed';
  /** The body code a failed or closed order answers with (`ERRCODE` / `ERR_CODE`, e.g. `S1`, `D4`). */
  failCode?: string;
  /** Its message (`ERRMSG` / `ERR_CODE_MSG`). */
  failMessage?: string;
  /** `NOTIFY_URL`: where the payment is pushed (PROTOCOL §5). */
  notifyUrl?: string;
  /** `JUMP_URL` (gateway): where the shopper's browser returns. */
  jumpUrl?: string;
  /** `GOODSNAME`. */
  goodsName?: string;
  /** `REMARK`. */
  remark?: string;
  /** `PAY_CHANNEL` (gateway). */
  payChannel?: string;
  /** Scan TRADETYPE of the order request (1 native, 2 JSAPI / service window). */
  tradeType?: string;
  /** Scan query/notification TRADETYPE: 1 WeChat, 2 Alipay, 3 QQ Wallet, 4 JD, 5 UnionPay wallet. */
  channel?: string;
  /** A micropay (刷卡) order: the shopper's code was scanned. */
  micropay?: boolean;
  /** Amount refunded so far, integer fen as a string (`'0'` when none). */
  refunded: string;
  /** `CARDNO`, masked (quick pay); the full number is never stored. */
  cardMasked?: string;
  /** `CARDTYPE` (quick pay). */
  cardType?: string;
  /** The issuing bank's name the sandbox answers. */
  bankName?: string;
  /** `PHONENO`, masked (quick pay). */
  phoneMasked?: string;
  /** `USER_ID` of a quick pay that binds the card. */
  userId?: string;
  /** `BIND_ID` issued for that binding. */
  bindId?: string;
  /** When the last SMS code for it was sent (resends at most once per `smsResendIntervalMs`). */
  smsSentAt?: number;
  /** Notify on payment? Micropay paid at once is not pushed (scan §5.2.3 note). */
  notify: boolean;
}

export interface RefundRecord {
  merchantNo: string;
  refundMerchantOrderId: string;
  refundPlatformOrderId: string;
  platformOrderId: string;
  merchantOrderId: string;
  amount: string;
  createdAt: number;
  state: 'accepted' | 'failed';
}

export interface BindRecord {
  merchantNo: string;
  bindId: string;
  userId: string;
  platformOrderId: string;
  cardMasked: string;
  cardType: string;
  nameMasked: string;
  phoneMasked: string;
  state: 'binding' | 'bound' | 'unbound';
  createdAt: number;
}

/** PAYSTATE (payout §5.2.3): 1 paid, 2 paying, 3 failed, 5 accepted awaiting review. */
export type PayState = 1 | 2 | 3 | 5;

/** A payout (代付) as the sandbox platform keeps it, as {@link Sandbox.payouts} and `GET /_sandbox/payouts` show it; account data masked. */
export interface PayoutRecord {
  /** `MERNO`. */
  merchantNo: string;
  /** The merchant's `ORDERNO`. */
  orderNo: string;
  /** The platform's order number. */
  platformOrderNo: string;
  /** `AMT`: integer fen as a string. */
  amount: string;
  /** `PAYTYPE`: 1 from the balance, 3 from the advance. */
  payType: string;
  /** `PAYSTATE` now: 1 paid, 2 paying, 3 failed, 5 accepted awaiting review (PROTOCOL §6). */
  payState: PayState;
  /** Timestamps at which the state moves on: 5 → 2 → 1|3. */
  steps: Array<{ at: number; to: PayState }>;
  /** The account holder's name, masked. */
  accNameMasked: string;
  /** `ACCNO`, masked. */
  accNoMasked: string;
  /** `BUSIYPE` (the document's spelling on the wire). */
  busiType: string;
  /** The payout's memo. */
  memo: string;
  /** When it was received (ms since the epoch, the sandbox's clock). */
  createdAt: number;
  /** When it reached PAYSTATE 1 or 3. */
  finishedAt?: number;
}

export interface NotificationRecord {
  id: string;
  merchantNo: string;
  family: EnvelopeFamily;
  merchantOrderId: string;
  platformOrderId: string;
  url: string;
  commandId: number;
  /** The envelope text exactly as POSTed. */
  text: string;
  /** Delays in ms between attempts (first entry: before the first attempt). */
  schedule: number[];
  attempts: number;
  delivered: boolean;
  abandoned: boolean;
  nextAt?: number;
  /** Test faults applied when delivering (faults.ts). */
  tamper?: boolean;
  duplicate?: boolean;
  holdMs?: number;
  /** Lost (fault notify-lost): never sent until delivered late (lost-notifications.ts). */
  lost?: boolean;
  createdAt: number;
}

/**
 * One delivery attempt of a pushed notification (PROTOCOL §5), as {@link Sandbox.notifications}
 * and `GET /_sandbox/notifications` (contract) show it.
 */
export interface NotificationAttempt {
  /** The notification's id (`n1`, `n2`, …); its attempts share it. */
  notificationId: string;
  /** `MERNO`. */
  merchantNo: string;
  /** `quickPay`, `scan` or `gateway`. */
  family: EnvelopeFamily;
  /** `MERORDERID` of the paid order. */
  merchantOrderId: string;
  /** The `NOTIFY_URL` POSTed to. */
  url: string;
  /** The envelope's CommandID: 35104 (quick pay), 35090 (gateway), 2324 (scan code) (PROTOCOL §4). */
  commandId: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** When it was made (ISO 8601). */
  at: string;
  /** HTTP status the receiver answered, or undefined when there was no answer. */
  status?: number;
  /** The first 200 characters of the receiver's answer. */
  response?: string;
  /** Why there was no answer (connection refused, timeout, a `NOTIFY_URL` that is not loopback `http://`). */
  error?: string;
  /** The receiver acknowledged: an answer starting with SUCCESS, case-insensitive (PROTOCOL §5). */
  acknowledged: boolean;
  /** A `notify-tampered-sign` fault gave this attempt a wrong `Sign`. */
  tampered: boolean;
  /** A `notify-duplicate` fault's second delivery. */
  duplicate: boolean;
  /** A lost notification (fault notify-lost): recorded, never sent; `text` is what would have been POSTed. */
  lost?: boolean;
  /** The exact text POSTed. */
  text: string;
}

export interface SandboxState {
  version: 1;
  platformKeys: { publicKeyPem: string; privateKeyPem: string };
  merchants: Record<string, MerchantRecord>;
  orders: PaymentOrder[];
  refunds: RefundRecord[];
  binds: BindRecord[];
  payouts: PayoutRecord[];
  sms: SmsRecord[];
  notifications: NotificationRecord[];
  attempts: NotificationAttempt[];
  /** Counters of the seeded generator replayed on load (random.ts). */
  issued: number;
}
