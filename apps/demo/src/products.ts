/** What the demo shop sells. Prices are integer fen in strings (PROTOCOL §7); GOODSNAME ≤ 15 characters. */
import type { ProductIcon } from './icons.js';

export interface Product {
  id: string;
  name: string;
  /** GOODSNAME sent to the platform (scan §5.1: 1–15 characters). */
  goodsName: string;
  amount: string;
  /** Its picture: an inline SVG of icons.ts (no emoji: they need a font the shopper may not have). */
  icon: ProductIcon;
}

export const PRODUCTS: readonly Product[] = [
  { id: 'tea', name: 'Longjing green tea, 100 g', goodsName: '龙井绿茶', amount: '3800', icon: 'tea' },
  { id: 'mooncake', name: 'Box of mooncakes', goodsName: '月饼礼盒', amount: '12800', icon: 'mooncake' },
  { id: 'fan', name: 'Silk hand fan', goodsName: '丝绸扇子', amount: '990', icon: 'fan' },
];

export function findProduct(id: unknown): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}
