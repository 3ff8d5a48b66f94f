/**
 * Typed arrays that can grow at their end without touching what earlier
 * views see: a view of `length` elements over a buffer with room after it.
 * A patched graph index appends its new edges and relocated rows to the
 * same buffers as the index it came from, so the older index (still held
 * by an analysis that began before the edit) reads exactly what it read
 * before: nothing inside its views is ever written again.
 */
export type Typed = Int32Array | Uint16Array | Float64Array;

/** How many elements of each buffer some view already covers (appends go after it). */
const used = new WeakMap<ArrayBufferLike, number>();

function make<T extends Typed>(like: T, n: number): T {
  return new (like.constructor as { new (n: number): T })(n);
}

/** A new zeroed array of `length` elements with room for `room` more. */
export function roomy<T extends Typed>(C: { new (n: number): T }, length: number, room: number): T {
  const out = new C(length + Math.max(0, room));
  used.set(out.buffer, length);
  return out.subarray(0, length) as T;
}

/** The first `length` elements of `a` (a whole buffer nobody else views), the rest its room. */
export function adopt<T extends Typed>(a: T, length: number): T {
  used.set(a.buffer, length);
  return a.subarray(0, length) as T;
}

/** A copy of `a` (its first `length` elements) with room for `room` more, same type. */
export function withRoom<T extends Typed>(a: T, room: number, length = a.length): T {
  const out = make(a, length + Math.max(0, room));
  out.set(a.subarray(0, length));
  const view = out.subarray(0, length) as T;
  used.set(out.buffer, length);
  return view;
}

/**
 * `a` with `extra` more elements at its end, `fill` in them. Shares the
 * buffer when `a` ends where the buffer's last view ends and there is room;
 * otherwise copies into a buffer twice as large. Never writes inside `a`.
 */
export function extendView<T extends Typed>(a: T, extra: number, fill = 0): T {
  const start = a.byteOffset / a.BYTES_PER_ELEMENT;
  const end = start + a.length;
  const capacity = a.buffer.byteLength / a.BYTES_PER_ELEMENT;
  if (start === 0 && used.get(a.buffer) === end && end + extra <= capacity) {
    used.set(a.buffer, end + extra);
    const View = a.constructor as { new (b: ArrayBufferLike, o: number, n: number): T };
    const out = new View(a.buffer, 0, end + extra);
    out.fill(fill, end);
    return out;
  }
  const grown = withRoom(a, Math.max(extra, a.length), a.length);
  return extendView(grown, extra, fill);
}
