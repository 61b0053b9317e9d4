// Scheduling deletion (typed confirmation of an alias or the key id, and a 7-30 day window) and cancelling it.
import { kms, listAll } from '../api.js'
import { actionButton, field, h, select } from '../dom.js'
import { report } from '../feedback.js'
import { isoTime, type AliasEntry, type KeyMetadata } from '../kms-types.js'
import { section } from '../section.js'

const WINDOWS = Array.from({ length: 24 }, (_, i) => String(i + 7))

export async function deletionSection(m: KeyMetadata, refresh: () => Promise<void>): Promise<HTMLElement> {
  const slot = h('div', { 'aria-live': 'polite' })
  if (m.KeyState === 'PendingDeletion') {
    return section('Deletion',
      h('p', { class: 'warning' }, `This key is scheduled for deletion on ${isoTime(m.DeletionDate)}. Cancelling leaves it disabled; enable it afterwards to use it.`),
      actionButton('Cancel key deletion', () => report(slot, async () => { await kms('CancelKeyDeletion', { KeyId: m.KeyId }); await refresh() }), { class: 'primary' }),
      slot)
  }
  const aliases = (await listAll<AliasEntry>('ListAliases', { KeyId: m.KeyId, Limit: 100 }, 'Aliases').catch(() => [])).map((a) => a.AliasName)
  const accepted = new Set([m.KeyId, ...aliases])
  const confirm = h('input', { name: 'confirmDeletion', autocomplete: 'off', spellcheck: 'false' })
  const window = select('pendingWindow', WINDOWS, '30')
  const schedule = h('button', { type: 'submit', class: 'danger', disabled: true }, 'Schedule deletion')
  confirm.addEventListener('input', () => { schedule.disabled = !accepted.has(confirm.value.trim()) })
  const form = h('form', { class: 'danger-zone' },
    h('p', {}, 'After the waiting period the key and all its material are destroyed, and nothing encrypted under it can be decrypted again. During the wait the key cannot be used.'),
    field('Waiting period (days)', window),
    field(`To confirm, type ${aliases.length > 0 ? `an alias (${aliases.join(', ')}) or ` : ''}the key id`, confirm),
    schedule, slot)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (!accepted.has(confirm.value.trim())) return
    schedule.disabled = true
    void report(slot, async () => {
      await kms('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: Number(window.value) })
      await refresh()
    }).then(() => { schedule.disabled = !accepted.has(confirm.value.trim()) })
  })
  return section('Deletion', form)
}
