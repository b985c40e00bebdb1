import { raw, type Html } from '../html'
import { createRng } from '../prng'

const N = 25

/**
 * A QR-looking square (finder patterns + dots from a seeded PRNG). It encodes nothing: in the
 * sandbox you "scan" by clicking a person below it.
 */
export function qrSvg(seedText: string): Html {
  let seed = 0
  for (const ch of seedText) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0
  const rng = createRng(seed)
  const cells: string[] = []
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      if (inFinder(x, y)) continue
      if (rng() < 0.48) cells.push(`M${x} ${y}h1v1h-1z`)
    }
  }
  const finders = [
    [0, 0],
    [N - 7, 0],
    [0, N - 7],
  ]
    .map(([x, y]) => `M${x} ${y}h7v7h-7zM${x! + 1} ${y! + 1}v5h5v-5z M${x! + 2} ${y! + 2}h3v3h-3z`)
    .join('')
  return raw(
    `<svg viewBox="0 0 ${N} ${N}" role="img" aria-label="登录二维码（模拟）" shape-rendering="crispEdges">` +
      `<path fill="#1f2329" fill-rule="evenodd" d="${finders}"/><path fill="#1f2329" d="${cells.join('')}"/></svg>`,
  )
}

function inFinder(x: number, y: number): boolean {
  const near = (v: number, start: number) => v >= start && v < start + 8
  return (near(x, 0) && near(y, 0)) || (near(x, N - 8) && near(y, 0)) || (near(x, 0) && near(y, N - 8))
}
