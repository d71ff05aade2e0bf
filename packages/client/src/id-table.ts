/**
 * The table behind `MemoryNotificationStore`: notification id → a number (a claim's expiry, or the
 * commit marker), kept cache-friendly for the receiver's hot path.
 *
 * A `Map` keyed by the id strings costs a chain of dependent memory reads per lookup (bucket, entry,
 * key string), and with 10^5 ids held they all miss the cache: in the receiver benchmark the store
 * alone cost about a sixth of the throughput (packages/http-node/BENCHMARKS.md). Here a lookup reads
 * one slot of an `Int32Array` (open addressing, linear probing, at most half full) whose two
 * neighbouring numbers are the id's hash and its entry, and touches the id's characters only to
 * confirm a match, so a new id usually costs one memory read.
 *
 * The ids' characters are copied into one `Uint16Array` (UTF-16 code units, each entry a start and
 * a length into it) rather than kept as strings: every notification would otherwise leave one
 * string behind that the garbage collector copies out of the young generation and then marks for as
 * long as the id is remembered (30 days by default). Entries live in the order they were added:
 * `sweepFront` forgets expired ones from the oldest on (the store's `doneTtlMs`), and the arrays are
 * compacted once half of them are gaps.
 */

/** FNV-1a over the UTF-16 code units; never 0 (0 marks an empty slot). */
function hashOf(id: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h === 0 ? 1 : h;
}

/** The same hash over code units already copied into `chars`. */
function hashAt(chars: Uint16Array, start: number, length: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < start + length; i++) h = Math.imul(h ^ chars[i]!, 0x01000193);
  return h === 0 ? 1 : h;
}

const MIN_SLOTS = 1024;
const MIN_ENTRIES = 256;
/** An entry's length once it is removed. */
const REMOVED = -1;

export class IdTable {
  /** The last id hashed and its hash: a claim looks its id up, then sets it, then commits it. */
  #lastId = '';
  #lastHash = hashOf('');
  /**
   * Where the last id looked up was found (its slot, or the complement of the empty slot where it
   * would go), valid while `#foundAt === #changes`: a claim's `set` and its commit's `get` and `set`
   * then skip the probe and the comparison of its characters.
   */
  #foundId = '';
  #foundSlot = 0;
  #foundAt = -1;
  /** Bumped by every change that fills, empties or moves a slot. */
  #changes = 0;
  /** Per slot `s`: the id's hash at `2s` (0: empty) and the entry index + 1 at `2s + 1`, side by side so one read brings both. */
  #slots = new Int32Array(2 * MIN_SLOTS);
  /** How many slots (a power of two): `#slots.length / 2`. */
  #slotCount = MIN_SLOTS;
  /** The ids' code units, entry after entry; `#charsUsed` of them are taken. */
  #chars = new Uint16Array(MIN_ENTRIES * 48);
  #charsUsed = 0;
  /** Per entry, in the order added: where its id starts in `#chars`, its length (`REMOVED` once removed), its value. */
  #starts = new Int32Array(MIN_ENTRIES);
  #lengths = new Int32Array(MIN_ENTRIES);
  #values = new Float64Array(MIN_ENTRIES);
  /** Entries added (removed ones included, until a compaction). */
  #count = 0;
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

  /** Whether entry `entry` holds `id`. */
  #holds(entry: number, id: string): boolean {
    if (this.#lengths[entry] !== id.length) return false;
    const chars = this.#chars;
    const start = this.#starts[entry]!;
    for (let i = 0; i < id.length; i++) if (chars[start + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  /** The slot holding `id`, or the bitwise complement of the empty slot where it would go. */
  #find(id: string, hash: number): number {
    if (this.#foundAt === this.#changes && id === this.#foundId) return this.#foundSlot;
    const slot = this.#probe(id, hash);
    this.#foundId = id;
    this.#foundSlot = slot;
    this.#foundAt = this.#changes;
    return slot;
  }

  #probe(id: string, hash: number): number {
    const slots = this.#slots;
    const mask = this.#slotCount - 1;
    let slot = hash & mask;
    for (;;) {
      const h = slots[2 * slot]!;
      if (h === 0) return ~slot;
      if (h === hash && this.#holds(slots[2 * slot + 1]! - 1, id)) return slot;
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
    const entry = this.#add(id, value);
    this.#slots[2 * ~slot] = hash;
    this.#slots[2 * ~slot + 1] = entry + 1;
    this.#live++;
    this.#changes++;
    if (this.#live * 2 > this.#slotCount) this.#rebuild(this.#slotCount * 2);
    else {
      this.#foundSlot = ~slot; // `id` now sits there
      this.#foundAt = this.#changes;
    }
  }

  /** Appends an entry for `id` (its code units copied) and answers its index. */
  #add(id: string, value: number): number {
    const entry = this.#count;
    if (entry === this.#starts.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(2 * a.length);
        b.set(a);
        return b;
      };
      this.#starts = grow(this.#starts, (n) => new Int32Array(n));
      this.#lengths = grow(this.#lengths, (n) => new Int32Array(n));
      this.#values = grow(this.#values, (n) => new Float64Array(n));
    }
    let start = this.#charsUsed;
    if (start + id.length > this.#chars.length) {
      const chars = new Uint16Array(Math.max(2 * this.#chars.length, start + id.length));
      chars.set(this.#chars.subarray(0, start));
      this.#chars = chars;
    }
    const chars = this.#chars;
    for (let i = 0; i < id.length; i++) chars[start++] = id.charCodeAt(i);
    this.#starts[entry] = this.#charsUsed;
    this.#lengths[entry] = id.length;
    this.#values[entry] = value;
    this.#charsUsed = start;
    this.#count = entry + 1;
    return entry;
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
    let i = this.#front;
    for (; i < this.#count; i++) {
      const length = this.#lengths[i]!;
      if (length === REMOVED) continue;
      if (!expired(this.#values[i]!)) break;
      this.#remove(this.#slotOf(i, hashAt(this.#chars, this.#starts[i]!, length)));
    }
    this.#front = i;
    if (this.#count >= 64 && this.#live * 2 <= this.#count) this.#rebuild(this.#slotCount);
  }

  /** The slot of a live entry, found by its index from its hash's home slot. */
  #slotOf(entry: number, hash: number): number {
    const slots = this.#slots;
    const mask = this.#slotCount - 1;
    let slot = hash & mask;
    while (slots[2 * slot + 1] !== entry + 1) slot = (slot + 1) & mask;
    return slot;
  }

  /** Empties `slot` and shifts back the entries after it that probed past it (no tombstones). */
  #remove(slot: number): void {
    this.#changes++;
    const slots = this.#slots;
    this.#lengths[slots[2 * slot + 1]! - 1] = REMOVED;
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
    this.#changes++;
    const oldSlots = this.#slots;
    /** Old entry index → new entry index + 1 (0: removed), when the arrays are compacted. */
    let renumber: Int32Array | undefined;
    if (this.#live !== this.#count) {
      renumber = new Int32Array(this.#count);
      const size = Math.max(MIN_ENTRIES, 2 * this.#live);
      const starts = new Int32Array(size);
      const lengths = new Int32Array(size);
      const values = new Float64Array(size);
      let used = 0;
      for (let i = this.#front; i < this.#count; i++) {
        if (this.#lengths[i] !== REMOVED) used += this.#lengths[i]!;
      }
      const chars = new Uint16Array(Math.max(MIN_ENTRIES * 48, 2 * used));
      let n = 0;
      used = 0;
      for (let i = this.#front; i < this.#count; i++) {
        const length = this.#lengths[i]!;
        if (length === REMOVED) continue;
        const start = this.#starts[i]!;
        chars.set(this.#chars.subarray(start, start + length), used);
        starts[n] = used;
        lengths[n] = length;
        values[n] = this.#values[i]!;
        used += length;
        renumber[i] = ++n;
      }
      this.#chars = chars;
      this.#charsUsed = used;
      this.#starts = starts;
      this.#lengths = lengths;
      this.#values = values;
      this.#count = n;
      this.#front = 0;
    }
    let slotTotal = Math.max(MIN_SLOTS, slotCount);
    while (this.#count * 2 > slotTotal) slotTotal *= 2;
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
