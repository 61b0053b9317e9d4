// Horizontal bar charts drawn as SVG, with the figures also written out as text for screen readers.
import { h } from './dom.js'

const SVG = 'http://www.w3.org/2000/svg'
const ROW = 22
const LABEL_WIDTH = 230
const BAR_WIDTH = 320

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  if (text !== undefined) el.textContent = text
  return el
}

/** A bar chart of `data` (label → value), largest first; `format` writes each value. */
export function barChart(title: string, data: Map<string, number>, format: (v: number) => string): HTMLElement {
  const rows = [...data.entries()].sort((a, b) => b[1] - a[1])
  const max = Math.max(1e-9, ...rows.map(([, v]) => v))
  const chart = svg('svg', { width: LABEL_WIDTH + BAR_WIDTH + 90, height: Math.max(1, rows.length) * ROW + 4, role: 'img', 'aria-label': title })
  rows.forEach(([label, value], i) => {
    const y = i * ROW + 2
    chart.append(
      svg('text', { x: LABEL_WIDTH - 6, y: y + 15, 'text-anchor': 'end', class: 'chart-label' }, label),
      svg('rect', { x: LABEL_WIDTH, y, width: Math.max(1, (value / max) * BAR_WIDTH), height: ROW - 6, class: 'chart-bar' }),
      svg('text', { x: LABEL_WIDTH + Math.max(1, (value / max) * BAR_WIDTH) + 6, y: y + 15, class: 'chart-value' }, format(value)),
    )
  })
  const figures = h('ul', { class: 'visually-hidden' }, rows.map(([l, v]) => h('li', {}, `${l}: ${format(v)}`)))
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), rows.length === 0 ? h('p', { class: 'empty' }, 'No data yet.') : chart, figures)
}
