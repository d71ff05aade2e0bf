// `mmsp notify`: push a signed payment-result notification to a merchant's receiver the way the
// platform does (PROTOCOL §5): the envelope signed with the MD5 key (the agent's key in agency mode),
// POSTed as the raw body; optionally retried on the family's schedule (the sandbox's
// `retrySchedule`) until an answer starting with SUCCESS, case-insensitive.
import { buildEnvelope, buildNotificationBody, newOrderNo, notifications, type EnvelopeFamily } from '@mmsp/codec';
import { num, required, str, type Command } from '../args.js';
import { CliError, EXIT_FAIL, EXIT_OK } from '../errors.js';
import { guard } from '../guard.js';
import { readKey, requireKey, KEY_OPTIONS } from '../input.js';
import { post, sleep } from '../notify/post.js';

/** PROTOCOL §8: the document's test merchant (sandbox defaults; never production defaults). */
const TEST_MERCHANT_NO = '001440353999853';
const TEST_TERMINAL_NO = '84970001';
const FAMILIES: readonly EnvelopeFamily[] = ['scan', 'quickPay', 'gateway'];
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;

interface Attempt {
  attempt: number;
  delayMs: number;
  status: number | null;
  response: string | null;
  error: string | null;
  acknowledged: boolean;
}

export const notifyCommand: Command = {
  name: 'notify',
  summary: "send a signed payment notification to a local receiver, optionally with the platform's retries",
  help: `Usage: mmsp notify --url URL --key KEY --order ID --amount FEN [options]

Builds the payment-result notification the platform pushes (docs/PROTOCOL.md §5; the platform
document's quick pay §5.5, gateway §5.2, scan code §10.8), signs it with the MD5 key, and POSTs it
to URL. Each attempt is printed.
Exit 0 when the receiver answered a body starting with SUCCESS, 1 when it never did.

  --url URL              the receiver (loopback http:// only unless --allow-remote)
  --key KEY              the MD5 key (or --key-file FILE, or MMSP_KEY)
  --family F             scan (default), quickPay or gateway
  --order ID             the merchant order id (MERORDERID)
  --amount FEN           integer fen, e.g. 100 for 1.00 yuan
  --platform-order ID    the platform order id (default: a new one)
  --merchant-no NO       MERNO (default ${TEST_MERCHANT_NO}, the document's test merchant)
  --terminal-no NO       TERMNO (default ${TEST_TERMINAL_NO})
  --agent-no NO          agency mode: AGENTNO; the agent's key (--agent-key / MMSP_AGENT_KEY) signs
  --agent-key KEY        the agent's MD5 key (or --agent-key-file FILE)
  --field NAME=VALUE     set or add a Body field (a string), repeatable; NAME:=JSON for a JSON value
  --retry-schedule       retry on the platform's schedule until SUCCESS (quick pay / gateway 1, 5, 10,
                         30, 90, 180, 300 s; scan 0, 15, 15, 30, 180, 1800×5, 3600 s)
  --time-scale X         multiply the schedule (0.001 turns 300 s into 300 ms); default 1
  --timeout MS           wait at most this long for each answer (default 5000)
  --allow-remote         allow a URL that is not on this machine
  --json                 print one JSON object at the end
  -h, --help             this text

Example:
  mmsp notify --url http://127.0.0.1:3000/mmsp/notify --key "$MMSP_KEY" --family quickPay \\
    --order 20240101000001 --amount 100 --retry-schedule --time-scale 0.01
`,
  options: {
    ...KEY_OPTIONS,
    url: { type: 'string' },
    family: { type: 'string' },
    order: { type: 'string' },
    amount: { type: 'string' },
    'platform-order': { type: 'string' },
    'merchant-no': { type: 'string' },
    'terminal-no': { type: 'string' },
    'agent-no': { type: 'string' },
    'agent-key': { type: 'string' },
    'agent-key-file': { type: 'string' },
    field: { type: 'string', multiple: true },
    'retry-schedule': { type: 'boolean' },
    'time-scale': { type: 'string' },
    timeout: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  maxPositionals: 0,
  async run(ctx) {
    const v = ctx.values;
    const urlText = required('notify', v, 'url', 'the receiver URL, e.g. http://127.0.0.1:3000/notify');
    let url: URL;
    try {
      url = new URL(urlText);
    } catch {
      throw new CliError('mmsp notify: --url is not a URL (e.g. http://127.0.0.1:3000/notify)');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new CliError('mmsp notify: --url must be http:// or https://');
    if (!LOOPBACK.test(url.hostname) && v['allow-remote'] !== true) {
      throw new CliError(
        'mmsp notify: --url is not on this machine (loopback); pass --allow-remote to send it elsewhere',
      );
    }
    const family = (str(v, 'family') ?? 'scan') as EnvelopeFamily;
    if (!FAMILIES.includes(family)) throw new CliError(`mmsp notify: --family must be one of ${FAMILIES.join(', ')}`);
    const merchantOrderId = required('notify', v, 'order', 'the merchant order id, MERORDERID');
    const amount = required('notify', v, 'amount', 'integer fen, e.g. 100');
    if (!/^(0|[1-9]\d{0,14})$/.test(amount))
      throw new CliError('mmsp notify: --amount must be integer fen as digits (e.g. 100 for 1.00 yuan; no decimals)');
    const key = await requireKey(ctx, 'notify');
    const agentNo = str(v, 'agent-no');
    const agentKey = await readKey(ctx, 'notify', 'agent-key', 'MMSP_AGENT_KEY');
    if (agentNo !== undefined && agentKey === undefined)
      throw new CliError(
        "mmsp notify: --agent-no needs the agent's key (--agent-key, --agent-key-file or MMSP_AGENT_KEY)",
      );
    const timeScale = num('notify', v, 'time-scale', 1);
    const timeoutMs = num('notify', v, 'timeout', 5000, { positive: true });
    const overrides = parseFields(v.field as string[] | undefined);
    const order = {
      merchantOrderId,
      platformOrderId: str(v, 'platform-order') ?? newOrderNo(family),
      amount,
      paidAt: new Date(),
    };
    const commandId = notifications[family].commandIds[0]; // scan 2324, quick pay 35104, gateway table 35090 (PROTOCOL §4)
    const { retrySchedule } = await import('@mmsp/sandbox');
    const schedule = v['retry-schedule'] === true ? retrySchedule(family, timeScale) : [0];

    const attempts: Attempt[] = [];
    let firstText = '';
    let acknowledged = false;
    const started = Date.now();
    for (let i = 0; i < schedule.length && !acknowledged; i++) {
      const delayMs = schedule[i] ?? 0;
      if (delayMs > 0 && !(await sleep(delayMs, ctx.io.signal))) break;
      if (ctx.io.signal?.aborted) break;
      const n = i + 1;
      const body = {
        ...buildNotificationBody(family, { ...order, notifiedAt: new Date(), pushCount: n }),
        ...overrides,
      };
      const built = guard('notify', () =>
        buildEnvelope({
          family,
          commandId,
          seqId: n,
          nodeType: 3,
          nodeId: 'openplat',
          merchantNo: str(v, 'merchant-no') ?? TEST_MERCHANT_NO,
          terminalNo: str(v, 'terminal-no') ?? TEST_TERMINAL_NO,
          key,
          ...(agentNo !== undefined ? { agentNo, agentKey: agentKey as string } : {}),
          body,
          retCode: 1,
          errorMsg: '',
          errorMsgField: 'ErrMsg',
          platformEscaping: true,
        }),
      );
      if (n === 1) {
        firstText = built.text;
        if (!ctx.json)
          ctx.io.stdout(`POST ${url.href} (${family} notification, CommandID ${commandId})\n${built.text}\n`);
      }
      const r = await post(url, built.text, timeoutMs, ctx.io.signal);
      const ok = r.body !== undefined && /^success/i.test(r.body);
      const a: Attempt = {
        attempt: n,
        delayMs,
        status: r.status ?? null,
        response: r.body?.slice(0, 200) ?? null,
        error: r.error ?? null,
        acknowledged: ok,
      };
      attempts.push(a);
      acknowledged = ok;
      if (!ctx.json) {
        const t = ((Date.now() - started) / 1000).toFixed(3);
        const what = r.error !== undefined ? `error: ${r.error}` : `HTTP ${r.status} ${JSON.stringify(a.response)}`;
        ctx.io.stdout(`attempt ${n} at +${t}s: ${what} → ${ok ? 'acknowledged (SUCCESS)' : 'not acknowledged'}\n`);
      }
    }
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({ url: url.href, family, commandId, merchantOrderId, platformOrderId: order.platformOrderId, acknowledged, attempts, text: firstText })}\n`,
      );
    } else if (!acknowledged) {
      ctx.io.stdout(`no SUCCESS after ${attempts.length} attempt(s)${ctx.io.signal?.aborted ? ' (stopped)' : ''}\n`);
    }
    return acknowledged ? EXIT_OK : EXIT_FAIL;
  },
};

function parseFields(list: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of list ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_ ]*)(:?=)([\s\S]*)$/.exec(item);
    if (!m) throw new CliError('mmsp notify: --field must be NAME=VALUE (a string) or NAME:=JSON');
    const [, name, op, value] = m as unknown as [string, string, string, string];
    if (op === ':=') {
      try {
        out[name] = JSON.parse(value);
      } catch {
        throw new CliError(`mmsp notify: --field ${name}:= needs a JSON value`);
      }
    } else out[name] = value;
  }
  return out;
}
