// Key details: metadata and state (enable, disable, deletion), then one section per aspect of the key.
import { kms } from '../api.js'
import { actionButton, h } from '../dom.js'
import { errorBox, report } from '../feedback.js'
import { isoTime, type KeyMetadata } from '../kms-types.js'
import { section } from '../section.js'
import { aliasesSection, tagsSection } from './key-aliases.js'
import { deletionSection } from './key-deletion.js'
import { grantsSection } from './key-grants.js'
import { policySection } from './key-policy.js'
import { publicKeySection, rotationSection } from './key-rotation.js'

function metadataList(m: KeyMetadata): HTMLElement {
  const rows: [string, string | undefined][] = [
    ['Key ID', m.KeyId], ['ARN', m.Arn], ['State', m.KeyState], ['Key spec', m.KeySpec], ['Key usage', m.KeyUsage],
    ['Description', m.Description], ['Created', isoTime(m.CreationDate)], ['Origin', m.Origin], ['Key manager', m.KeyManager],
    ['Multi-Region', m.MultiRegion ? 'yes' : 'no'], ['Deletion date', isoTime(m.DeletionDate)],
    ['Algorithms', [...(m.EncryptionAlgorithms ?? []), ...(m.SigningAlgorithms ?? []), ...(m.MacAlgorithms ?? []), ...(m.KeyAgreementAlgorithms ?? [])].join(', ')],
  ]
  return h('dl', { class: 'metadata' }, rows.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v!)]))
}

function stateActions(m: KeyMetadata, refresh: () => Promise<void>): HTMLElement {
  const slot = h('div', { 'aria-live': 'polite' })
  const toggle = m.KeyState === 'Enabled'
    ? actionButton('Disable key', () => report(slot, async () => { await kms('DisableKey', { KeyId: m.KeyId }); await refresh() }))
    : m.KeyState === 'Disabled'
      ? actionButton('Enable key', () => report(slot, async () => { await kms('EnableKey', { KeyId: m.KeyId }); await refresh() }))
      : null
  return h('div', { class: 'actions' }, toggle, h('a', { href: `#/playground/${encodeURIComponent(m.KeyId)}`, class: 'button' }, 'Use in playground'), slot)
}

export async function renderKeyDetails(main: HTMLElement, keyId: string | undefined): Promise<void> {
  if (!keyId) throw new Error('No key id in the address.')
  const refresh = async () => {
    let m: KeyMetadata
    try {
      m = (await kms<{ KeyMetadata: KeyMetadata }>('DescribeKey', { KeyId: keyId })).KeyMetadata
    } catch (e) {
      main.replaceChildren(h('h1', { tabindex: '-1' }, `Key ${keyId}`), errorBox(e))
      return
    }
    const sections = await Promise.all([
      aliasesSection(m), tagsSection(m), policySection(m), grantsSection(m), rotationSection(m), publicKeySection(m), deletionSection(m, refresh),
    ])
    main.replaceChildren(
      h('h1', { tabindex: '-1' }, m.Description ? `${m.Description} (${m.KeyId})` : `Key ${m.KeyId}`),
      section('Metadata', metadataList(m), stateActions(m, refresh)),
      ...sections.filter((s): s is HTMLElement => s !== null),
    )
  }
  await refresh()
}
