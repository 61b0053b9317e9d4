// A key's aliases (CreateAlias / DeleteAlias) and tags (TagResource / UntagResource).
import { kms, listAll } from '../api.js'
import { actionButton, field, h, replace } from '../dom.js'
import { errorBox, report } from '../feedback.js'
import type { AliasEntry, KeyMetadata, Tag } from '../kms-types.js'
import { section } from '../section.js'

/** Renders `load()` into `list`, or its error. */
async function fill(list: HTMLElement, load: () => Promise<Node>): Promise<void> {
  try {
    replace(list, await load())
  } catch (e) {
    replace(list, errorBox(e))
  }
}

export async function aliasesSection(m: KeyMetadata): Promise<HTMLElement> {
  const list = h('div')
  const slot = h('div', { 'aria-live': 'polite' })
  const load = () => fill(list, async () => {
    const aliases = await listAll<AliasEntry>('ListAliases', { KeyId: m.KeyId, Limit: 100 }, 'Aliases')
    if (aliases.length === 0) return h('p', { class: 'empty' }, 'No aliases.')
    return h('ul', { class: 'plain' }, aliases.map((a) => h('li', {}, h('code', {}, a.AliasName), ' ',
      actionButton(`Remove ${a.AliasName}`, () => report(slot, async () => { await kms('DeleteAlias', { AliasName: a.AliasName }); await load() }, `Removed ${a.AliasName}.`)))))
  })
  const name = h('input', { name: 'aliasName', placeholder: 'alias/my-key' })
  const form = h('form', { class: 'inline-form' }, field('New alias', name), h('button', { type: 'submit' }, 'Add alias'))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void report(slot, async () => { await kms('CreateAlias', { AliasName: name.value.trim(), TargetKeyId: m.KeyId }); name.value = ''; await load() }, 'Alias added.')
  })
  await load()
  return section('Aliases', list, form, slot)
}

export async function tagsSection(m: KeyMetadata): Promise<HTMLElement> {
  const list = h('div')
  const slot = h('div', { 'aria-live': 'polite' })
  const load = () => fill(list, async () => {
    const tags = await listAll<Tag>('ListResourceTags', { KeyId: m.KeyId, Limit: 50 }, 'Tags')
    if (tags.length === 0) return h('p', { class: 'empty' }, 'No tags.')
    return h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Action'))),
      h('tbody', {}, tags.map((t) => h('tr', {}, h('td', {}, t.TagKey), h('td', {}, t.TagValue), h('td', {},
        actionButton(`Remove tag ${t.TagKey}`, () => report(slot, async () => { await kms('UntagResource', { KeyId: m.KeyId, TagKeys: [t.TagKey] }); await load() }, `Removed tag ${t.TagKey}.`)))))))
  })
  const key = h('input', { name: 'tagKey' })
  const value = h('input', { name: 'tagValue' })
  const form = h('form', { class: 'inline-form' }, field('Tag key', key), field('Tag value', value), h('button', { type: 'submit' }, 'Add or update tag'))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void report(slot, async () => {
      await kms('TagResource', { KeyId: m.KeyId, Tags: [{ TagKey: key.value.trim(), TagValue: value.value }] })
      key.value = ''
      value.value = ''
      await load()
    }, 'Tag saved.')
  })
  await load()
  return section('Tags', list, form, slot)
}
