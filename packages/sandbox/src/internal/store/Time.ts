/**
 * Pipedrive's time formats: RFC 3339 in API v2 (`2024-01-01T00:00:00Z`), `2024-01-01 00:00:00` (UTC)
 * in API v1. Times are milliseconds since the epoch, in whole seconds.
 */

/** Truncates to whole seconds, the precision Pipedrive keeps. */
export const toSeconds = (millis: number): number => Math.floor(millis / 1000) * 1000

/** `2024-01-01T00:00:00Z`: API v2's times. */
export const formatRfc3339 = (millis: number): string => {
  const day = Math.floor(millis / DAY)
  return datePart(day) + "T" + timePart(millis - day * DAY) + "Z"
}

/** `2024-01-01 00:00:00`: API v1's times (UTC). */
export const formatV1Time = (millis: number): string => {
  const day = Math.floor(millis / DAY)
  return datePart(day) + " " + timePart(millis - day * DAY)
}

// Every listed person has two times to print; `Date.prototype.toISOString` for each would cost
// more than building the rest of the person, so dates are cached by day and times computed.
const DAY = 86_400_000
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, "0"))
const dates = new Map<number, string>()

const datePart = (day: number): string => {
  let date = dates.get(day)
  if (date === undefined) {
    if (dates.size > 10_000) dates.clear()
    date = new Date(day * DAY).toISOString().slice(0, 10)
    dates.set(day, date)
  }
  return date
}

const timePart = (millisOfDay: number): string => {
  const seconds = Math.floor(millisOfDay / 1000)
  return TWO_DIGITS[Math.floor(seconds / 3600)]! + ":" + TWO_DIGITS[Math.floor(seconds / 60) % 60]! + ":" +
    TWO_DIGITS[seconds % 60]!
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?$/

/**
 * Parses `2024-01-01T00:00:00Z`, with an offset instead of `Z`, or (with `allowV1`) Pipedrive's
 * `2024-01-01 00:00:00` in UTC. Impossible dates (February 30th) and fractional seconds are refused.
 */
export const parse = (text: string, options: { readonly allowV1?: boolean } = {}): number | undefined => {
  const match = TIME.exec(text)
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((group) => Number(match[group]))
  const zone = match[7]
  if (
    year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined ||
    second === undefined
  ) return undefined
  const v1 = text.charAt(10) === " "
  if (v1 ? options.allowV1 !== true || zone !== undefined : zone === undefined) return undefined
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const millis = Date.UTC(year, month - 1, day, hour, minute, second)
  if (day < 1 || new Date(millis).getUTCDate() !== day) return undefined
  if (zone === undefined || zone === "Z") return millis
  const sign = zone.startsWith("-") ? -1 : 1
  return millis - sign * (Number(zone.slice(1, 3)) * 3_600_000 + Number(zone.slice(4, 6)) * 60_000)
}
