// Audit: CloudTrail LookupEvents with a time range and one lookup attribute (CloudTrail allows one), a page at a
// time; each record's JSON, and the hash-chain links this page can check (chain-links.ts says how far that goes).
import { cloudTrail } from '../api.js'
import { checkLinks, chainFields, type LinkStatus } from '../chain-links.js'
import { field, h, replace, select } from '../dom.js'
import { errorBox } from '../feedback.js'
import { isoTime } from '../kms-types.js'

interface LookupEvent {
  EventId: string
  EventName: string
  EventTime: number
  EventSource: string
  Username?: string
  AccessKeyId?: string
  Resources?: { ResourceName: string }[]
  CloudTrailEvent: string
}

const ATTRIBUTES: [string, string][] = [['', 'No attribute filter'], ['EventName', 'Event name'], ['ResourceName', 'Key (ID or ARN)'], ['Username', 'User name'],
  ['AccessKeyId', 'Access key ID'], ['EventId', 'Event ID'], ['ReadOnly', 'Read only (true/false)'], ['EventSource', 'Event source']]

const LINK_TEXT: Record<LinkStatus, string> = {
  verified: 'chain link to the previous record verified',
  broken: 'CHAIN LINK BROKEN: the previous record does not hash to this record\'s trentPreviousHash',
  unchecked: 'previous record not on this page: link not checked here',
}

function seconds(local: string): number | undefined {
  return local ? new Date(local).getTime() / 1000 : undefined
}

function eventItem(e: LookupEvent, link: LinkStatus): HTMLElement {
  const record = JSON.parse(e.CloudTrailEvent) as { errorCode?: string; errorMessage?: string; userIdentity?: { arn?: string } }
  const { sequence } = chainFields(e.CloudTrailEvent)
  return h('li', { class: `event link-${link}`, 'data-event-name': e.EventName },
    h('div', { class: 'event-head' },
      h('strong', {}, e.EventName), ' ', h('span', {}, isoTime(e.EventTime)), ' ',
      h('span', { class: 'who' }, record.userIdentity?.arn ?? e.Username ?? ''), ' ',
      record.errorCode ? h('span', { class: 'error-type' }, record.errorCode) : h('span', { class: 'ok' }, 'success'),
      ' ', h('span', { class: 'seq' }, sequence === undefined ? '' : `#${sequence}`), ' ', h('span', { class: 'link' }, LINK_TEXT[link])),
    h('details', {}, h('summary', {}, 'Record JSON'), h('pre', { class: 'code', tabindex: '0' }, JSON.stringify(JSON.parse(e.CloudTrailEvent), null, 2))))
}

export async function renderAudit(main: HTMLElement): Promise<void> {
  const start = h('input', { type: 'datetime-local', name: 'startTime', step: 1 })
  const end = h('input', { type: 'datetime-local', name: 'endTime', step: 1 })
  const attribute = select('attribute', ATTRIBUTES)
  const value = h('input', { name: 'attributeValue' })
  const size = select('maxResults', ['10', '20', '50'], '20')
  const results = h('div', { 'aria-live': 'polite' })
  const form = h('form', { class: 'filters', 'aria-label': 'Filter audit events' },
    field('From', start), field('To', end), field('Filter by', attribute), field('Value', value), field('Per page', size), h('button', { type: 'submit' }, 'Look up events'))
  main.append(h('h1', { tabindex: '-1' }, 'Audit'),
    h('p', {}, 'Records as CloudTrail LookupEvents returns them for your account, newest first. Where a record and the one before it in the hash chain are both on this page, the link between them is checked in the browser. Full verification, signed digests included, is `trent audit verify` on the server: no API exposes it.'),
    form, results)

  const tokens: (string | undefined)[] = [undefined]
  let index = 0
  // Only the newest lookup may render (an older one finishing late must not overwrite it).
  let generation = 0
  const show = async () => {
    const mine = ++generation
    replace(results, h('p', {}, 'Loading…'))
    try {
      const input: Record<string, unknown> = { MaxResults: Number(size.value), StartTime: seconds(start.value), EndTime: seconds(end.value), NextToken: tokens[index] }
      if (attribute.value) input.LookupAttributes = [{ AttributeKey: attribute.value, AttributeValue: value.value.trim() }]
      const page = await cloudTrail<{ Events?: LookupEvent[]; NextToken?: string }>('LookupEvents', input)
      const events = page.Events ?? []
      tokens[index + 1] = page.NextToken
      const links = await checkLinks(events.map((e) => e.CloudTrailEvent))
      if (mine !== generation) return
      const verified = links.filter((l) => l === 'verified').length
      const broken = links.filter((l) => l === 'broken').length
      replace(results,
        h('p', { class: broken > 0 ? 'alert error' : 'chain-summary', role: broken > 0 ? 'alert' : null },
          `Chain links checked on this page: ${verified} verified, ${broken} broken, ${links.length - verified - broken} not checkable here.`),
        events.length === 0 ? h('p', { class: 'empty' }, 'No events.') : h('ol', { class: 'events' }, events.map((e, i) => eventItem(e, links[i]!))),
        h('nav', { class: 'pager', 'aria-label': 'Event pages' },
          h('button', { type: 'button', disabled: index === 0, onclick: () => { index -= 1; void show() } }, 'Newer'),
          h('span', {}, `Page ${index + 1}`),
          h('button', { type: 'button', disabled: !page.NextToken, onclick: () => { index += 1; void show() } }, 'Older')))
    } catch (e) {
      if (mine === generation) replace(results, errorBox(e))
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    tokens.length = 1
    index = 0
    void show()
  })
  await show()
}
