/**
 * The table behind `MemoryNotificationStore`: notification id → a number (a claim's expiry, or the
 * commit marker), kept cache-friendly for the receiver's hot path.
 *
 * A `Map` keyed by the id strings costs a chain of dependent memory reads per lookup (bucket, entry,
 * key string), and with 10^5 ids held they all miss the cache: in the receiver benchmark the store
 * alone cost about a sixth of the throughput (packages/http-node/BENCHMARKS.md). Here a lookup reads
 * one slot of an `Int32Array` (open addressing, linear probing, at most half full) whose two
 * neighbouring numbers are the id's hash and its entry, and touches the id string only to confirm a
 * match, so a new id usually costs one memory read.
 *
 * Entries live in arrays in the order they were added: `sweepFront` forgets expired ones from the
 * oldest on (the store's `doneTtlMs`), and the arrays are compacted once half of them are gaps.
 */

/** FNV-1a over the UTF-16 code units; never 0 (0 marks an empty slot). */
function hashOf(id: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h === 0 ? 1 : h;
}

const MIN_SLOTS = 1024;

export class IdTable {
  /** The last id hashed and its hash: a claim looks its id up, then sets it, then commits it. */
  #lastId = '';
  #lastHash = 1;
  /** Per slot `s`: the id's hash at `2s` (0: empty) and the entry index + 1 at `2s + 1`, side by side so one read brings both. */
  #slots = new Int32Array(2 * MIN_SLOTS);
  /** How many slots (a power of two): `#slots.length / 2`. */
  #slotCount = MIN_SLOTS;
  /** Per entry, in the order added: the id (undefined once removed) and its value. */
  #ids: (string | undefined)[] = [];
  #values: number[] = [];
  #live = 0;
  /** Entries before this index are all removed (the front the sweep has passed). */
  #front = 0;

  get size(): number {
    return this.#live;
  }

  #hash(id: string): number {
    if (id !== this.#lastId) {
      this.#lastId = id;
      this.#lastHash = hashOf(id);
    }
    return this.#lastHash;
  }

  /** The slot holding `id`, or the bitwise complement of the empty slot where it would go. */
  #find(id: string, hash: number): number {
    const slots = this.#slots;
    const mask = this.#slotCount - 1;
    let slot = hash & mask;
    for (;;) {
      const h = slots[2 * slot]!;
      if (h === 0) return ~slot;
      if (h === hash && this.#ids[slots[2 * slot + 1]! - 1] === id) return slot;
      slot = (slot + 1) & mask;
    }
  }

  get(id: string): number | undefined {
    const slot = this.#find(id, this.#hash(id));
    return slot < 0 ? undefined : this.#values[this.#slots[2 * slot + 1]! - 1];
  }

  set(id: string, value: number): void {
    const hash = this.#hash(id);
    const slot = this.#find(id, hash);
    if (slot >= 0) {
      this.#values[this.#slots[2 * slot + 1]! - 1] = value;
      return;
    }
    this.#ids.push(id);
    this.#values.push(value);
    this.#slots[2 * ~slot] = hash;
    this.#slots[2 * ~slot + 1] = this.#ids.length;
    this.#live++;
    if (this.#live * 2 > this.#slotCount) this.#rebuild(this.#slotCount * 2);
  }

  delete(id: string): void {
    const slot = this.#find(id, this.#hash(id));
    if (slot >= 0) this.#remove(slot);
  }

  /**
   * Removes entries from the oldest on while `expired(value)` says so; stops at the first that is
   * not. Compacts the arrays once at least half of them are removed entries.
   */
  sweepFront(expired: (value: number) => boolean): void {
    const ids = this.#ids;
    let i = this.#front;
    for (; i < ids.length; i++) {
      const id = ids[i];
      if (id === undefined) continue;
      if (!expired(this.#values[i]!)) break;
      this.#remove(this.#find(id, hashOf(id)));
    }
    this.#front = i;
    if (ids.length >= 64 && this.#live * 2 <= ids.length) this.#rebuild(this.#slotCount);
  }

  /** Empties `slot` and shifts back the entries after it that probed past it (no tombstones). */
  #remove(slot: number): void {
    const slots = this.#slots;
    const entry = slots[2 * slot + 1]! - 1;
    this.#ids[entry] = undefined;
    this.#live--;
    const mask = this.#slotCount - 1;
    let hole = slot;
    let next = (slot + 1) & mask;
    for (;;) {
      const h = slots[2 * next]!;
      if (h === 0) break;
      const home = h & mask;
      // Move `next` into the hole when its home is not cyclically within (hole, next].
      if (hole <= next ? home <= hole || home > next : home <= hole && home > next) {
        slots[2 * hole] = h;
        slots[2 * hole + 1] = slots[2 * next + 1]!;
        hole = next;
      }
      next = (next + 1) & mask;
    }
    slots[2 * hole] = 0;
    slots[2 * hole + 1] = 0;
  }

  /**
   * Re-inserts the live entries into `slotCount` slots (a power of two), first dropping removed
   * entries from the arrays if there are any (a table that only grew keeps its arrays as they are).
   * The hashes are read from the old slots in order, so the new slots are written in two nearly
   * sequential runs (a hash's new home is its old home or that plus the old size), not at random.
   */
  #rebuild(slotCount: number): void {
    const oldSlots = this.#slots;
    /** Old entry index → new entry index + 1 (0: removed), when the arrays are compacted. */
    let renumber: Int32Array | undefined;
    if (this.#live !== this.#ids.length) {
      renumber = new Int32Array(this.#ids.length);
      const ids: (string | undefined)[] = [];
      const values: number[] = [];
      for (let i = this.#front; i < this.#ids.length; i++) {
        const id = this.#ids[i];
        if (id === undefined) continue;
        ids.push(id);
        values.push(this.#values[i]!);
        renumber[i] = ids.length;
      }
      this.#ids = ids;
      this.#values = values;
      this.#front = 0;
    }
    let slotTotal = Math.max(MIN_SLOTS, slotCount);
    while (this.#ids.length * 2 > slotTotal) slotTotal *= 2;
    const slots = new Int32Array(2 * slotTotal);
    const mask = slotTotal - 1;
    for (let old = 0; old < oldSlots.length; old += 2) {
      const hash = oldSlots[old]!;
      if (hash === 0) continue;
      const entry = renumber === undefined ? oldSlots[old + 1]! : renumber[oldSlots[old + 1]! - 1]!;
      let slot = hash & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = hash;
      slots[2 * slot + 1] = entry;
    }
    this.#slots = slots;
    this.#slotCount = slotTotal;
  }
}
