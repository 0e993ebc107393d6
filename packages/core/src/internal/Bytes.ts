/** Byte buffers: what the request and response bodies of the client are assembled from. */

/** The parts one after the other in one buffer (the part itself when there is only one). */
export const concat = (parts: Iterable<Uint8Array>): Uint8Array => {
  const list = Array.from(parts)
  const [first] = list
  if (list.length === 1 && first !== undefined) return first
  let size = 0
  for (const part of list) size += part.byteLength
  const whole = new Uint8Array(size)
  let offset = 0
  for (const part of list) {
    whole.set(part, offset)
    offset += part.byteLength
  }
  return whole
}
