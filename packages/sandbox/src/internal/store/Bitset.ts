/**
 * A fixed-size set of small non-negative integers, one bit each.
 *
 * The store marks here which seeded persons are no longer as the seed made them (updated or deleted),
 * so that listing can skip them without a lookup per id: a run of 32 marked ids costs one comparison,
 * and a million ids cost 128 KiB.
 */

/** A mutable bitset over `0 … size - 1`. */
export interface Bitset {
  readonly size: number
  /** How many bits are set. */
  readonly count: number
  readonly has: (index: number) => boolean
  /** Sets the bit; returns `false` if it was already set. */
  readonly add: (index: number) => boolean
  /** The first clear index `>= from`, or `size` when there is none. */
  readonly nextClear: (from: number) => number
  /** The last clear index `<= from`, or `-1` when there is none. */
  readonly prevClear: (from: number) => number
}

/** An empty bitset of `size` bits. */
export const make = (size: number): Bitset => {
  const words = new Uint32Array(Math.ceil(size / 32))
  let count = 0

  const has = (index: number) =>
    index >= 0 && index < size && ((words[index >>> 5]! >>> (index & 31)) & 1) === 1

  const add = (index: number) => {
    if (index < 0 || index >= size || has(index)) return false
    words[index >>> 5] = words[index >>> 5]! | (1 << (index & 31))
    count++
    return true
  }

  const nextClear = (from: number) => {
    if (from < 0) from = 0
    if (from >= size) return size
    let w = from >>> 5
    // Bits below `from` in its word count as set, so they are never returned.
    let word = words[w]! | ((1 << (from & 31)) - 1)
    while (word === -1 || word === 0xffffffff) {
      w++
      if (w >= words.length) return size
      word = words[w]!
    }
    const found = (w << 5) + ctz(~word)
    return found < size ? found : size
  }

  const prevClear = (from: number) => {
    if (from >= size) from = size - 1
    if (from < 0) return -1
    let w = from >>> 5
    const shift = from & 31
    // Bits above `from` in its word count as set.
    let word = shift === 31 ? words[w]! : words[w]! | ~((2 << shift) - 1)
    while ((word | 0) === -1) {
      w--
      if (w < 0) return -1
      word = words[w]!
    }
    return (w << 5) + 31 - Math.clz32(~word)
  }

  return {
    size,
    get count() {
      return count
    },
    has,
    add,
    nextClear,
    prevClear
  }
}

const ctz = (x: number) => 31 - Math.clz32(x & -x)
