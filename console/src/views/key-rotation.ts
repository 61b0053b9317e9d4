// Rotation settings and history (GetKeyRotationStatus, EnableKeyRotation, DisableKeyRotation,
// RotateKeyOnDemand, ListKeyRotations) and the public key as PEM (GetPublicKey). Where the server does not
// serve an operation, its UnsupportedOperationException is shown as it is.
import { kms, listAll } from '../api.js'
import { fromBase64, publicKeyPem } from '../bytes.js'
import { actionButton, field, h, replace } from '../dom.js'
import { errorBox, report } from '../feedback.js'
import { isoTime, type KeyMetadata } from '../kms-types.js'
import { section } from '../section.js'

interface RotationStatus {
  KeyRotationEnabled?: boolean
  RotationPeriodInDays?: number
  NextRotationDate?: number
  OnDemandRotationStartDate?: number
}

async function rotationStatus(m: KeyMetadata, slot: HTMLElement, reload: () => Promise<void>): Promise<HTMLElement> {
  try {
    const s = await kms<RotationStatus>('GetKeyRotationStatus', { KeyId: m.KeyId })
    const period = h('input', { type: 'number', name: 'rotationPeriod', min: 90, max: 2560, value: s.RotationPeriodInDays ?? 365 })
    return h('div', {},
      h('p', {}, `Automatic rotation: ${s.KeyRotationEnabled ? 'on' : 'off'}`, s.RotationPeriodInDays ? `, every ${s.RotationPeriodInDays} days` : '',
        s.NextRotationDate ? `, next on ${isoTime(s.NextRotationDate)}` : '', s.OnDemandRotationStartDate ? `; on-demand rotation started ${isoTime(s.OnDemandRotationStartDate)}` : ''),
      h('div', { class: 'inline-form' }, field('Rotation period (days)', period),
        actionButton('Enable automatic rotation', () => report(slot, async () => { await kms('EnableKeyRotation', { KeyId: m.KeyId, RotationPeriodInDays: Number(period.value) }); await reload() }, 'Automatic rotation enabled.')),
        actionButton('Disable automatic rotation', () => report(slot, async () => { await kms('DisableKeyRotation', { KeyId: m.KeyId }); await reload() }, 'Automatic rotation disabled.')),
        actionButton('Rotate now', () => report(slot, async () => { await kms('RotateKeyOnDemand', { KeyId: m.KeyId }); await reload() }, 'On-demand rotation started.'))),
    )
  } catch (e) {
    return errorBox(e)
  }
}

async function rotationHistory(m: KeyMetadata): Promise<HTMLElement> {
  try {
    const rotations = await listAll<{ RotationDate?: number; RotationType?: string; KeyMaterialId?: string }>('ListKeyRotations', { KeyId: m.KeyId, Limit: 100 }, 'Rotations')
    if (rotations.length === 0) return h('p', { class: 'empty' }, 'No rotations yet.')
    return h('table', {}, h('caption', {}, 'Rotation history'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Key material'))),
      h('tbody', {}, rotations.map((r) => h('tr', {}, h('td', {}, isoTime(r.RotationDate)), h('td', {}, r.RotationType ?? ''), h('td', {}, r.KeyMaterialId ?? '')))))
  } catch (e) {
    return errorBox(e)
  }
}

export async function rotationSection(m: KeyMetadata): Promise<HTMLElement> {
  const body = h('div')
  const slot = h('div', { 'aria-live': 'polite' })
  const load = async () => replace(body, ...(await Promise.all([rotationStatus(m, slot, load), rotationHistory(m)])))
  await load()
  return section('Rotation', body, slot)
}

export async function publicKeySection(m: KeyMetadata): Promise<HTMLElement | null> {
  if (m.KeySpec === 'SYMMETRIC_DEFAULT' || m.KeySpec.startsWith('HMAC_')) return null
  try {
    const reply = await kms<{ PublicKey: string }>('GetPublicKey', { KeyId: m.KeyId })
    const pem = publicKeyPem(fromBase64(reply.PublicKey, 'PublicKey'))
    const href = URL.createObjectURL(new Blob([pem], { type: 'application/x-pem-file' }))
    return section('Public key', h('pre', { class: 'code', tabindex: '0', 'aria-label': 'Public key PEM' }, pem),
      h('a', { href, download: `${m.KeyId}.pem`, class: 'button' }, 'Download PEM'))
  } catch (e) {
    return section('Public key', errorBox(e))
  }
}
