/**
 * The arithmetic every comparison shares: medians and spreads over rounds, percentiles of latencies,
 * and rounding for the tables. A figure is always a median with its min–max over the rounds, so one
 * round disturbed by the other work on a shared machine shows as spread, not as the result.
 */

/** A figure over rounds: the median, and the smallest and largest round. */
export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly rounds: number
}

/** Rounds `value` to `digits` decimals (for JSON and tables; never used in further arithmetic). */
export const round = (value: number, digits = 0): number => {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** The `p`-th percentile (0–100) of already sorted values, nearest rank. */
export const percentile = (sorted: ReadonlyArray<number>, p: number): number => {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN
}

/** Median and min–max of the rounds' values, rounded to `digits`. */
export const spread = (values: ReadonlyArray<number>, digits = 0): Spread => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  const median = sorted.length % 2 === 1
    ? sorted[Math.floor(middle)] ?? Number.NaN
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
  return {
    median: round(median, digits),
    min: round(sorted[0] ?? Number.NaN, digits),
    max: round(sorted.at(-1) ?? Number.NaN, digits),
    rounds: sorted.length
  }
}

/**
 * The order of the contenders in round `index`: rotated by one each round, so none always runs
 * first (cold disk cache, a neighbour's burst) or last.
 */
export const rotation = <A>(contenders: ReadonlyArray<A>, index: number): ReadonlyArray<A> => {
  const shift = index % contenders.length
  return [...contenders.slice(shift), ...contenders.slice(0, shift)]
}

/** Peak resident memory of this process so far, in MiB (`maxRSS` is in KiB). */
export const peakRssMiB = (): number => round(process.resourceUsage().maxRSS / 1024, 1)
