// The sandbox's state, per merchant: what the platform knows. Plain JSON so that `statePath` can
// persist it. Card data is kept masked only (CARDNO → 622848******1234; CVN2, EXPDATE, ID_NO are
// never stored), so the inspection API and the state file never hold card data.

export type PaymentFamily = 'scan' | 'quickPay' | 'gateway';

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

export interface SmsRecord {
  merchantNo: string;
  /** LIST_ID of the order or binding the code is for. */
  platformOrderId: string;
  merchantOrderId: string;
  phone: string;
  code: string;
  sentAt: number;
  purpose: 'pay' | 'boundPay' | 'bind';
}

export interface PaymentOrder {
  family: PaymentFamily;
  operation: string;
  merchantNo: string;
  merchantOrderId: string;
  platformOrderId: string;
  amount: string;
  state: OrderState;
  createdAt: number;
  paidAt?: number;
  expiresAt?: number;
  /** When a `paying` micropay or payout settles by itself. */
  settleAt?: number;
  settleTo?: 'paid' | 'failed';
  failCode?: string;
  failMessage?: string;
  notifyUrl?: string;
  jumpUrl?: string;
  goodsName?: string;
  remark?: string;
  payChannel?: string;
  /** Scan TRADETYPE of the order request (1 native, 2 JSAPI / service window). */
  tradeType?: string;
  /** Scan query/notification TRADETYPE: 1 WeChat, 2 Alipay, 3 QQ Wallet, 4 JD, 5 UnionPay wallet. */
  channel?: string;
  micropay?: boolean;
  refunded: string;
  cardMasked?: string;
  cardType?: string;
  bankName?: string;
  phoneMasked?: string;
  userId?: string;
  bindId?: string;
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

export interface PayoutRecord {
  merchantNo: string;
  orderNo: string;
  platformOrderNo: string;
  amount: string;
  payType: string;
  payState: PayState;
  /** Timestamps at which the state moves on: 5 → 2 → 1|3. */
  steps: Array<{ at: number; to: PayState }>;
  accNameMasked: string;
  accNoMasked: string;
  busiType: string;
  memo: string;
  createdAt: number;
  finishedAt?: number;
}

export interface NotificationRecord {
  id: string;
  merchantNo: string;
  family: PaymentFamily;
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

export interface NotificationAttempt {
  notificationId: string;
  merchantNo: string;
  family: PaymentFamily;
  merchantOrderId: string;
  url: string;
  commandId: number;
  attempt: number;
  at: string;
  /** HTTP status the receiver answered, or undefined when there was no answer. */
  status?: number;
  /** The first 200 characters of the receiver's answer. */
  response?: string;
  error?: string;
  /** The receiver acknowledged: an answer starting with SUCCESS, case-insensitive (PROTOCOL §5). */
  acknowledged: boolean;
  tampered: boolean;
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
