// A titled page section, its heading linked for screen readers.
import { h, uid } from './dom.js'

export function section(title: string, ...children: (Node | null)[]): HTMLElement {
  const id = uid('section')
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children)
}
