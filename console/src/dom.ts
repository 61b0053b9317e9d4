// A tiny element builder, so views are plain functions of data. Text always goes in as text nodes
// (never innerHTML), so nothing the API returns can become markup or script.
type Child = Node | string | number | null | undefined | false
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>

/** Creates `<tag>` with attributes (on* keys become listeners, false/null are left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value)
    else if (value === true) el.setAttribute(name, '')
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
  return el
}

/** Replaces every child of `el`. */
export function replace(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren()
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
}

let nextId = 0
/** A unique element id, for pairing a <label for> with its control. */
export function uid(prefix: string): string {
  nextId += 1
  return `${prefix}-${nextId}`
}

/** A labelled control: `<div class=field><label for=id>text</label>control</div>`. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLDivElement {
  if (!control.id) control.id = uid('f')
  const hintEl = hint ? h('small', { id: `${control.id}-hint`, class: 'hint' }, hint) : null
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id)
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl)
}

/** A labelled checkbox, label after the box: `<div class="field inline">box <label for=id>text</label></div>`. */
export function checkboxField(label: string, box: HTMLInputElement): HTMLDivElement {
  if (!box.id) box.id = uid('c')
  return h('div', { class: 'field inline' }, box, h('label', { for: box.id }, label))
}

/** A <select> of `options` ([value, label] or a value used as both), with `selected` chosen. */
export function select(name: string, options: (string | [string, string])[], selected?: string): HTMLSelectElement {
  return h('select', { name }, options.map((o) => {
    const [value, label] = typeof o === 'string' ? [o, o] : o
    return h('option', { value, selected: value === selected }, label)
  }))
}

/** A button that disables itself while `action` runs, so a slow API call cannot be sent twice. */
export function actionButton(label: string, action: () => Promise<void>, attrs: Attrs = {}): HTMLButtonElement {
  const button = h('button', { type: 'button', ...attrs }, label)
  button.addEventListener('click', () => {
    button.disabled = true
    action().finally(() => { button.disabled = false })
  })
  return button
}
