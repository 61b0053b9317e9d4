// The console's entry point: a hash router (#/keys, #/keys/<id>, …) over views that each render into <main>.
// Signed out, every route shows the sign-in form.
import { h, replace } from './dom.js'
import { errorBox } from './feedback.js'
import { leaveCurrentView } from './lifecycle.js'
import { clearSession, loadSession } from './session.js'
import { renderAudit } from './views/audit.js'
import { renderCreateKey } from './views/create-key.js'
import { renderKeyDetails } from './views/key-details.js'
import { renderKeys } from './views/keys.js'
import { renderOverview } from './views/overview.js'
import { renderPlayground } from './views/playground.js'
import { renderSignIn } from './views/sign-in.js'

type View = (main: HTMLElement, param: string | undefined) => Promise<void>

const PAGES: { path: string; label: string; view: View }[] = [
  { path: 'overview', label: 'Overview', view: renderOverview },
  { path: 'keys', label: 'Keys', view: renderKeys },
  { path: 'create-key', label: 'Create key', view: renderCreateKey },
  { path: 'playground', label: 'Playground', view: renderPlayground },
  { path: 'audit', label: 'Audit', view: renderAudit },
]

/** `#/<path>/<param>`: the param is everything after the first slash (an alias name has slashes of its own). */
function route(): { path: string; param: string | undefined } {
  const rest = location.hash.replace(/^#\/?/, '')
  const at = rest.indexOf('/')
  const path = at < 0 ? rest : rest.slice(0, at)
  return { path: path || 'overview', param: at < 0 ? undefined : decodeURIComponent(rest.slice(at + 1)) }
}

function nav(current: string): HTMLElement {
  const session = loadSession()
  return h('nav', { 'aria-label': 'Console' },
    h('ul', {}, PAGES.map((p) => h('li', {}, h('a', { href: `#/${p.path}`, 'aria-current': p.path === current ? 'page' : null }, p.label)))),
    h('span', { class: 'who' }, `Access key ${session?.accessKeyId ?? ''} · ${session?.region ?? ''}`),
    h('button', { type: 'button', onclick: () => { clearSession(); location.hash = '#/overview'; void render() } }, 'Sign out'),
  )
}

async function render(): Promise<void> {
  leaveCurrentView()
  const header = document.getElementById('top')!
  const main = document.getElementById('main')!
  if (!loadSession()) {
    replace(header)
    await renderSignIn(main, () => void render())
    return
  }
  const { path, param } = route()
  replace(header, nav(path === 'key' ? 'keys' : path))
  const page = path === 'key' ? { view: renderKeyDetails } : PAGES.find((p) => p.path === path)
  main.replaceChildren()
  try {
    if (!page) main.append(h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'No such page.'))
    else await page.view(main, param)
  } catch (e) {
    main.append(errorBox(e))
  }
  main.querySelector<HTMLElement>('h1')?.focus()
}

window.addEventListener('hashchange', () => void render())
void render()
