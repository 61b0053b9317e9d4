// A key's grants: ListGrants (paginated), CreateGrant and RevokeGrant.
import { kms, listAll } from '../api.js'
import { actionButton, checkboxField, field, h, replace } from '../dom.js'
import { errorBox, report } from '../feedback.js'
import { isoTime, type KeyMetadata } from '../kms-types.js'
import { section } from '../section.js'

interface Grant {
  GrantId: string
  Name?: string
  GranteePrincipal?: string
  RetiringPrincipal?: string
  Operations?: string[]
  CreationDate?: number
  Constraints?: unknown
}

const GRANT_OPERATIONS = ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify',
  'GenerateMac', 'VerifyMac', 'DescribeKey', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DeriveSharedSecret', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']

export async function grantsSection(m: KeyMetadata): Promise<HTMLElement> {
  const list = h('div')
  const slot = h('div', { 'aria-live': 'polite' })
  const load = async () => {
    try {
      const grants = await listAll<Grant>('ListGrants', { KeyId: m.KeyId, Limit: 100 }, 'Grants')
      replace(list, grants.length === 0 ? h('p', { class: 'empty' }, 'No grants.') : h('table', {},
        h('thead', {}, h('tr', {}, ['Grant ID', 'Name', 'Grantee', 'Retiring principal', 'Operations', 'Constraints', 'Created', 'Action'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, grants.map((g) => h('tr', {},
          h('td', {}, h('code', {}, g.GrantId)), h('td', {}, g.Name ?? ''), h('td', {}, g.GranteePrincipal ?? ''), h('td', {}, g.RetiringPrincipal ?? ''),
          h('td', {}, (g.Operations ?? []).join(', ')), h('td', {}, g.Constraints ? JSON.stringify(g.Constraints) : ''), h('td', {}, isoTime(g.CreationDate)),
          h('td', {}, actionButton(`Revoke ${g.GrantId.slice(0, 8)}…`, () => report(slot, async () => { await kms('RevokeGrant', { KeyId: m.KeyId, GrantId: g.GrantId }); await load() }, 'Grant revoked.')))))))
      )
    } catch (e) {
      replace(list, errorBox(e))
    }
  }
  const grantee = h('input', { name: 'granteePrincipal', placeholder: 'arn:aws:iam::111122223333:user/name' })
  const ops = h('fieldset', { class: 'checks' }, h('legend', {}, 'Operations'), GRANT_OPERATIONS.map((op) => {
    return checkboxField(op, h('input', { type: 'checkbox', name: 'grantOperation', value: op }))
  }))
  const form = h('form', { class: 'grant-form' }, field('Grantee principal', grantee), ops, h('button', { type: 'submit' }, 'Create grant'))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const operations = [...form.querySelectorAll<HTMLInputElement>('input[name=grantOperation]:checked')].map((b) => b.value)
    void report(slot, async () => {
      const reply = await kms<{ GrantId: string }>('CreateGrant', { KeyId: m.KeyId, GranteePrincipal: grantee.value.trim(), Operations: operations })
      await load()
      slot.dataset.grantId = reply.GrantId
    }, 'Grant created.')
  })
  await load()
  return section('Grants', list, h('details', {}, h('summary', {}, 'Create a grant'), form), slot)
}
