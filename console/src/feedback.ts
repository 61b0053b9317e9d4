// How the console reports outcomes: an API error is shown as its exception name and the API's own message.
import { ApiError } from './api.js'
import { h } from './dom.js'

/** An alert box for `error`: `<strong>ExceptionName</strong> message`, announced to screen readers. */
export function errorBox(error: unknown): HTMLElement {
  if (error instanceof ApiError) {
    return h('div', { class: 'alert error', role: 'alert' }, h('strong', { class: 'error-type' }, error.type), error.apiMessage ? h('span', { class: 'error-message' }, ` ${error.apiMessage}`) : null)
  }
  return h('div', { class: 'alert error', role: 'alert' }, h('strong', { class: 'error-type' }, 'Error'), ` ${error instanceof Error ? error.message : String(error)}`)
}

/** A success or information line, announced politely. */
export function noticeBox(text: string): HTMLElement {
  return h('div', { class: 'alert ok', role: 'status' }, text)
}

/** Runs `action`, showing its error (or `success`, when given) in `slot`, and never throws. */
export async function report(slot: HTMLElement, action: () => Promise<void>, success?: string): Promise<void> {
  slot.replaceChildren()
  try {
    await action()
    if (success) slot.replaceChildren(noticeBox(success))
  } catch (e) {
    slot.replaceChildren(errorBox(e))
  }
}
