// The key policy: a JSON editor with validation as you type, PutKeyPolicy to save, the statements as written,
// and a "who can do what" check for the signed-in principal through DryRun (policy-check.ts says why).
import { kms } from '../api.js'
import { actionButton, field, h, replace } from '../dom.js'
import { errorBox, report } from '../feedback.js'
import { currentIdentity } from '../identity.js'
import type { KeyMetadata } from '../kms-types.js'
import { policyProblems, probeAccess, statementRows } from '../policy-check.js'
import { section } from '../section.js'

function statementsTable(text: string): HTMLElement {
  try {
    const rows = statementRows(JSON.parse(text))
    return h('table', { class: 'statements' },
      h('caption', {}, 'Statements as written (not evaluated)'),
      h('thead', {}, h('tr', {}, ['Sid', 'Effect', 'Principal', 'Actions', 'Conditions'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', { class: `effect-${r.effect}` }, h('td', {}, r.sid), h('td', {}, r.effect), h('td', {}, r.principal), h('td', {}, r.actions), h('td', {}, r.conditions)))))
  } catch {
    return h('p', {}, 'The statements appear here once the document is valid.')
  }
}

function accessTable(probes: Awaited<ReturnType<typeof probeAccess>>): HTMLElement {
  return h('table', { class: 'access' },
    h('caption', {}, 'What you may do with this key, as the server decides it now (DryRun)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Operation'), h('th', { scope: 'col' }, 'Decision'), h('th', { scope: 'col' }, 'API answer'))),
    h('tbody', {}, probes.map((p) => h('tr', { class: `outcome-${p.outcome}` }, h('td', {}, p.action), h('td', {}, p.outcome), h('td', {}, p.detail)))))
}

export async function policySection(m: KeyMetadata): Promise<HTMLElement> {
  let saved = ''
  const editor = h('textarea', { name: 'keyPolicy', rows: 18, spellcheck: 'false', class: 'code', 'aria-invalid': 'false' })
  const validity = h('p', { class: 'validity', 'aria-live': 'polite' })
  const statements = h('div')
  const slot = h('div', { 'aria-live': 'polite' })
  const access = h('div', { 'aria-live': 'polite' })
  const validate = () => {
    const problems = policyProblems(editor.value)
    editor.setAttribute('aria-invalid', String(problems.length > 0))
    replace(validity, problems.length === 0 ? 'Valid policy JSON (the server checks the rest when you save).' : h('ul', {}, problems.map((p) => h('li', {}, p))))
    validity.className = problems.length === 0 ? 'validity ok' : 'validity bad'
    replace(statements, statementsTable(editor.value))
  }
  editor.addEventListener('input', validate)
  try {
    saved = (await kms<{ Policy: string }>('GetKeyPolicy', { KeyId: m.KeyId, PolicyName: 'default' })).Policy
  } catch (e) {
    return section('Key policy', errorBox(e))
  }
  editor.value = saved
  validate()
  const format = h('button', { type: 'button', onclick: () => { try { editor.value = JSON.stringify(JSON.parse(editor.value), null, 2) } catch { /* validity already says why */ } validate() } }, 'Format')
  const reset = h('button', { type: 'button', onclick: () => { editor.value = saved; validate() } }, 'Revert to saved')
  const save = actionButton('Save policy', () => report(slot, async () => {
    await kms('PutKeyPolicy', { KeyId: m.KeyId, PolicyName: 'default', Policy: editor.value })
    saved = editor.value
  }, 'Policy saved.'), { class: 'primary' })
  const check = actionButton('Check my access', async () => {
    replace(access, h('p', {}, 'Asking the server…'))
    try {
      const identity = await currentIdentity()
      replace(access, accessTable(await probeAccess(m, identity.accountId)))
    } catch (e) {
      replace(access, errorBox(e))
    }
  })
  return section('Key policy',
    field('Policy document (JSON)', editor), validity, h('div', { class: 'actions' }, format, reset, save), slot,
    statements,
    h('h3', {}, 'Who can do what'),
    h('p', {}, 'Trent has no policy simulator API (`trent policy simulate` runs offline, on the server). This check asks the server itself: each operation below is sent with DryRun, so the real evaluator decides, for you, with the policy as saved. Each check is a real request and appears in the audit log.'),
    check, access,
  )
}
