/** What the demo shop sells. Prices are integer fen in strings (PROTOCOL §7); GOODSNAME ≤ 15 characters. */
export interface Product {
  id: string;
  name: string;
  /** GOODSNAME sent to the platform (scan §5.1: 1–15 characters). */
  goodsName: string;
  amount: string;
  emoji: string;
}

export const PRODUCTS: readonly Product[] = [
  { id: 'tea', name: 'Longjing green tea, 100 g', goodsName: '龙井绿茶', amount: '3800', emoji: '🍵' },
  { id: 'mooncake', name: 'Box of mooncakes', goodsName: '月饼礼盒', amount: '12800', emoji: '🥮' },
  { id: 'fan', name: 'Silk hand fan', goodsName: '丝绸扇子', amount: '990', emoji: '🪭' },
];

export function findProduct(id: unknown): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}
