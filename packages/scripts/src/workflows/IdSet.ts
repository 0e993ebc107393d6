/**
 * A set of person ids as bits, growing with the largest id: the export's "written already" set.
 * A million ids take 125 kB here, where a `Set<number>` takes tens of megabytes, and an export of
 * a large account must stay lean.
 */

/** A set of non-negative integer ids. */
export interface IdSet {
  readonly has: (id: number) => boolean
  /** Adds `id`; `false` when it was there already. */
  readonly add: (id: number) => boolean
  /** How many ids it holds. */
  readonly size: () => number
}

/** An empty set. */
export const make = (): IdSet => {
  let words = new Uint32Array(1024)
  let count = 0
  const has = (id: number) => {
    const word = id >>> 5
    return word < words.length && (words[word]! & (1 << (id & 31))) !== 0
  }
  return {
    has,
    add: (id) => {
      if (!Number.isSafeInteger(id) || id < 0 || id >= 2 ** 32) throw new RangeError(`not a person id: ${id}`)
      const word = id >>> 5
      if (word >= words.length) {
        const grown = new Uint32Array(Math.max(word + 1, words.length * 2))
        grown.set(words)
        words = grown
      }
      const bit = 1 << (id & 31)
      if ((words[word]! & bit) !== 0) return false
      words[word] = words[word]! | bit
      count++
      return true
    },
    size: () => count
  }
}
