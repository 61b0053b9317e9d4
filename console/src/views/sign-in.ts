// Sign-in: access key id, secret and optional session token. They are checked with one signed ListKeys call
// and then kept in this tab's sessionStorage; the secret itself never leaves the browser.
import { ApiError, kms } from '../api.js'
import { field, h } from '../dom.js'
import { errorBox } from '../feedback.js'
import { saveSession, type Session } from '../session.js'

/** Errors that still prove the signature was accepted: the credentials are good, this permission is missing. */
const AUTHENTICATED_REFUSALS = new Set(['AccessDeniedException'])

export async function renderSignIn(main: HTMLElement, signedIn: () => void): Promise<void> {
  const accessKeyId = h('input', { name: 'accessKeyId', autocomplete: 'username', required: true, spellcheck: 'false' })
  const secret = h('input', { name: 'secretAccessKey', type: 'password', autocomplete: 'current-password', required: true })
  const token = h('input', { name: 'sessionToken', type: 'password', autocomplete: 'off' })
  const region = h('input', { name: 'region', value: 'us-east-1', required: true, spellcheck: 'false' })
  const slot = h('div', { 'aria-live': 'polite' })
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: '-1' }, 'Sign in to Trent'),
    h('p', {}, 'Your secret stays in this browser tab (session storage). It is never sent: each request is signed with it here, with SigV4.'),
    field('Access key ID', accessKeyId),
    field('Secret access key', secret),
    field('Session token (optional)', token, 'Only for temporary credentials.'),
    field('Region', region, 'The region this Trent server serves.'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    slot,
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const session: Session = { accessKeyId: accessKeyId.value.trim(), secretAccessKey: secret.value, region: region.value.trim(), ...(token.value ? { sessionToken: token.value.trim() } : {}) }
    slot.replaceChildren(h('p', {}, 'Checking…'))
    kms('ListKeys', { Limit: 1 }, session)
      .catch((e: unknown) => {
        if (!(e instanceof ApiError && AUTHENTICATED_REFUSALS.has(e.type))) throw e
      })
      .then(() => {
        saveSession(session)
        if (!location.hash || location.hash === '#/') location.hash = '#/keys'
        signedIn()
      })
      .catch((e: unknown) => slot.replaceChildren(errorBox(e)))
  })
  main.replaceChildren(form)
}
