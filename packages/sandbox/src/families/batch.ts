// Batch queries of quick pay (§5.9) and gateway (§5.4): paid orders only, PERPAGE ≤ 1000, a window
// within 3 months of now, dates YYYYMMDDHH (the example's YYYYMMDD accepted); no data → STATUS 0.
import { NEGATIVE } from '../codes.js';
import { field, type HandlerContext, type HandlerResult } from '../handler.js';
import type { EnvelopeFamily, PaymentOrder } from '../model.js';
import { parseChinaTime } from '../time.js';

const HOUR = 3600_000;

/** End of the period a YYYYMMDD[HH] date names (a whole day or a whole hour), exclusive. */
function periodEnd(text: string, start: number): number {
  return start + (text.length === 8 ? 24 * HOUR : HOUR);
}

function monthsBefore(now: number, months: number): number {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

export function batchQuery(
  ctx: HandlerContext,
  body: Record<string, unknown>,
  family: EnvelopeFamily,
  item: (order: PaymentOrder) => Record<string, unknown>,
): HandlerResult {
  const startText = field(body, 'START_DATE');
  const endText = field(body, 'END_DATE');
  const start = /^\d{8}(\d{2})?$/.test(startText) ? parseChinaTime(startText) : undefined;
  const endStart = /^\d{8}(\d{2})?$/.test(endText) ? parseChinaTime(endText) : undefined;
  if (start === undefined) return { negative: `${NEGATIVE.parameter}: START_DATE must be YYYYMMDDHH` };
  if (endStart === undefined) return { negative: `${NEGATIVE.parameter}: END_DATE must be YYYYMMDDHH` };
  const end = periodEnd(endText, endStart);
  if (end <= start) return { negative: `${NEGATIVE.parameter}: END_DATE must not be before START_DATE` };
  if (start < monthsBefore(ctx.now, 3))
    return { negative: `${NEGATIVE.parameter}: START_DATE must be within 3 months of today` };
  const perPage = Number(field(body, 'PERPAGE') || '10');
  const page = Number(field(body, 'PAGE') || '1');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000)
    return { negative: `${NEGATIVE.parameter}: PERPAGE must be 1..1000` };
  if (!Number.isInteger(page) || page < 1) return { negative: `${NEGATIVE.parameter}: PAGE must be ≥ 1` };
  const rows = ctx.platform.state.orders.filter(
    (o) =>
      o.merchantNo === ctx.merchant.merchantNo &&
      o.family === family &&
      o.state === 'paid' &&
      o.paidAt !== undefined &&
      o.paidAt >= start &&
      o.paidAt < end,
  );
  const total = rows.length;
  const slice = rows.slice((page - 1) * perPage, page * perPage);
  return {
    body: {
      STATUS: slice.length > 0 ? '1' : '0',
      ...(slice.length > 0 ? {} : { ERRMSG: '没有数据' }),
      BIZ_CONTENT: slice.map(item),
      PERPAGE: String(perPage),
      PAGE: String(page),
      TOTAL_NUM: String(total),
      TOTAL_PAGE: String(Math.ceil(total / perPage)),
    },
  };
}
