// Quick start: a WeChat QR payment from order to verified notification, on this machine, with no
// account. The platform is the sandbox (@mmsp/sandbox) with the document's test merchant; your side
// is a client (@mmsp/http-node) and a notification endpoint on node:http.
//
//   npm install @mmsp/http-node @mmsp/sandbox @mmsp/codec && node quick-start.mjs
//   (in the SDK repository: pnpm install && pnpm build && node examples/quick-start.mjs)
//
// CI runs this file and checks what it prints.
import { once } from 'node:events';
import http from 'node:http';
import { newOrderNo } from '@mmsp/codec';
import { createNodeClient, createNotificationHandler } from '@mmsp/http-node';
import { startSandbox } from '@mmsp/sandbox';

// 1. The platform on localhost (a free port). In production, your merchant number, terminal
//    number, MD5 key and the platform's endpoint URLs go here instead.
const sandbox = await startSandbox();

// 2. A client for the sandbox's merchant: { merchantNo, terminalNo, key, endpoints, and the PEM
//    keys for payouts }.
const mmsp = createNodeClient(sandbox.merchant);

// 3. Your notification endpoint: the platform POSTs the signed result there. The handler checks
//    the signature, runs onPaid once per order and answers SUCCESS only after onPaid resolved.
let resolvePaid;
const paid = new Promise((resolve) => { resolvePaid = resolve; });
const server = http.createServer(createNotificationHandler({
  client: mmsp,
  onPaid: async (event) => {
    // Mark the order paid in your database here (event.amount is fen, as a string).
    resolvePaid(event);
  },
}));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const notifyUrl = `http://127.0.0.1:${server.address().port}/mmsp/notify`;

// 4. The order: WeChat QR (TRADETYPE 1, 正扫). Wire field names exactly as the document spells
//    them; amounts are fen in strings; RANDSTR, REQTIME… are filled in by the client.
const merchantOrderId = newOrderNo('scan');
const order = await mmsp.scan.wechatOrder({
  TRADETYPE: '1', MERORDERID: merchantOrderId, AMT: '100', GOODSNAME: '测试商品', NOTIFY_URL: notifyUrl,
});
console.log(`order ${merchantOrderId}: ${order.state}, QR code URL ${order.body.URL}`);

// 5. The shopper scans the code and pays. The sandbox's payment page has a button for that; this is
//    the same thing as a request (or sandbox.settleOrder(merchantOrderId, 'pay') in code).
const pay = await fetch(`${sandbox.url}/_sandbox/orders/${encodeURIComponent(merchantOrderId)}/pay`, { method: 'POST' });
if (pay.status !== 200) throw new Error(`the sandbox did not pay the order: HTTP ${pay.status}`);

// 6. The platform pushes the result to NOTIFY_URL; onPaid receives the verified event.
const timeout = setTimeout(() => { console.error('no notification within 10 s'); process.exit(1); }, 10_000);
const event = await paid;
clearTimeout(timeout);
console.log(`paid: order ${event.merchantOrderId}, platform order ${event.platformOrderId}, amount ${event.amount} fen, at ${event.paidAt?.toISOString()}`);

// 7. Let the SUCCESS answer reach the platform, then stop.
await sandbox.notificationsIdle();
const [delivery] = sandbox.notifications().filter((n) => n.merchantOrderId === merchantOrderId && n.acknowledged);
console.log(`the platform read SUCCESS after ${delivery.attempt} attempt(s)`);
server.close();
await sandbox.close();
