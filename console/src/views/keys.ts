// Keys: every key of the account, filtered by state, spec, usage, alias and tag, a page at a time.
import { listAll } from '../api.js'
import { field, h, replace, select } from '../dom.js'
import { errorBox } from '../feedback.js'
import { KeyScan, type KeyFilter, type KeyRow } from '../key-scan.js'
import { ALL_SPECS, KEY_STATES, KEY_USAGES, isoTime, type AliasEntry } from '../kms-types.js'

function any(options: string[]): (string | [string, string])[] {
  return [['', 'Any'], ...options]
}

function keyTable(rows: KeyRow[]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No keys match.')
  return h('table', { class: 'keys' },
    h('caption', { class: 'visually-hidden' }, 'Keys'),
    h('thead', {}, h('tr', {}, ['Aliases', 'Key ID', 'State', 'Key spec', 'Usage', 'Description', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map(({ metadata: m, aliases }) => h('tr', {},
      h('td', {}, aliases.join(', ')),
      h('td', {}, h('a', { href: `#/key/${encodeURIComponent(m.KeyId)}` }, m.KeyId)),
      h('td', {}, h('span', { class: `state state-${m.KeyState}` }, m.KeyState)),
      h('td', {}, m.KeySpec), h('td', {}, m.KeyUsage), h('td', {}, m.Description ?? ''), h('td', {}, isoTime(m.CreationDate)),
    ))),
  )
}

export async function renderKeys(main: HTMLElement): Promise<void> {
  const state = select('state', any(KEY_STATES))
  const spec = select('spec', any(ALL_SPECS))
  const usage = select('usage', any(KEY_USAGES))
  const alias = h('input', { name: 'alias', placeholder: 'alias/…' })
  const tag = h('input', { name: 'tag', placeholder: 'Project or Project=blue' })
  const size = select('pageSize', ['10', '25', '50'], '25')
  const results = h('div', { 'aria-live': 'polite', 'aria-busy': 'true', class: 'key-results' })
  const form = h('form', { class: 'filters', 'aria-label': 'Filter keys' },
    field('State', state), field('Key spec', spec), field('Usage', usage), field('Alias contains', alias), field('Tag', tag), field('Per page', size),
    h('button', { type: 'submit' }, 'Apply filters'),
  )
  main.append(h('h1', { tabindex: '-1' }, 'Keys'), h('p', {}, h('a', { href: '#/create-key', class: 'button primary' }, 'Create key')), form, results)

  let scan: KeyScan
  let index = 0
  // Only the newest request may render: an older scan finishing late must not overwrite a newer filter's page.
  let generation = 0
  const show = async () => {
    const mine = ++generation
    results.setAttribute('aria-busy', 'true')
    replace(results, h('p', {}, 'Loading…'))
    try {
      const rows = await scan.page(index)
      if (mine !== generation) return
      const last = !(index + 1 < scan.pages.length || scan.hasMore())
      const prev = h('button', { type: 'button', disabled: index === 0, onclick: () => { index -= 1; void show() } }, 'Previous page')
      const next = h('button', { type: 'button', disabled: last, onclick: () => { index += 1; void show() } }, 'Next page')
      results.setAttribute('aria-busy', 'false')
      replace(results, keyTable(rows), h('nav', { class: 'pager', 'aria-label': 'Key pages' }, prev, h('span', {}, `Page ${index + 1}`), next))
    } catch (e) {
      if (mine !== generation) return
      results.setAttribute('aria-busy', 'false')
      replace(results, errorBox(e))
    }
  }
  const start = async () => {
    const filter: KeyFilter = { state: state.value, spec: spec.value, usage: usage.value, alias: alias.value.trim(), tag: tag.value.trim() }
    const mine = ++generation
    results.setAttribute('aria-busy', 'true')
    try {
      const aliases = await listAll<AliasEntry>('ListAliases', { Limit: 100 }, 'Aliases')
      if (mine !== generation) return
      scan = new KeyScan(filter, Number(size.value), aliases)
    } catch (e) {
      if (mine !== generation) return
      results.setAttribute('aria-busy', 'false')
      replace(results, errorBox(e))
      return
    }
    index = 0
    await show()
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void start()
  })
  await start()
}
