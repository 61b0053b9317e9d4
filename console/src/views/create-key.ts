// Create key: a four-step wizard (type, details, policy, review) ending in CreateKey, then CreateAlias when an
// alias was given. The policy starts from AWS's default key policy; left unchanged, the server writes it itself.
import { kms } from '../api.js'
import { checkboxField, field, h, replace, select } from '../dom.js'
import { errorBox, noticeBox } from '../feedback.js'
import { currentIdentity, defaultKeyPolicy } from '../identity.js'
import { ASYMMETRIC_SPECS, HMAC_SPECS, type KeyMetadata, type Tag } from '../kms-types.js'
import { parseTags } from '../tags.js'

type KeyType = 'symmetric' | 'asymmetric' | 'hmac'

const SPECS: Record<KeyType, string[]> = { symmetric: ['SYMMETRIC_DEFAULT'], asymmetric: ASYMMETRIC_SPECS, hmac: HMAC_SPECS }

/** The usages AWS allows for each asymmetric spec (the first is offered first). */
function usagesFor(type: KeyType, spec: string): string[] {
  if (type === 'symmetric') return ['ENCRYPT_DECRYPT']
  if (type === 'hmac') return ['GENERATE_VERIFY_MAC']
  if (spec.startsWith('RSA_')) return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY']
  if (spec.startsWith('ECC_NIST_P')) return ['SIGN_VERIFY', 'KEY_AGREEMENT']
  if (spec === 'SM2') return ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'KEY_AGREEMENT']
  return ['SIGN_VERIFY']
}

const STEPS = ['Key type', 'Details', 'Key policy', 'Review']

export async function renderCreateKey(main: HTMLElement): Promise<void> {
  const identity = await currentIdentity()
  const account = h('input', { name: 'account', value: identity.accountId ?? '', inputmode: 'numeric', pattern: '[0-9]{12}' })
  const policyText = h('textarea', { name: 'policy', rows: 16, spellcheck: 'false', class: 'code' })
  policyText.value = defaultKeyPolicy(identity.accountId ?? 'ACCOUNT_ID')
  const typeSel = select('keyType', [['symmetric', 'Symmetric (encrypt and decrypt)'], ['asymmetric', 'Asymmetric (RSA, elliptic curve, ML-DSA)'], ['hmac', 'HMAC (generate and verify MAC)']])
  const specSel = select('keySpec', SPECS.symmetric)
  const usageSel = select('keyUsage', usagesFor('symmetric', 'SYMMETRIC_DEFAULT'))
  const multiRegion = h('input', { type: 'checkbox', name: 'multiRegion' })
  const alias = h('input', { name: 'alias', placeholder: 'alias/my-key' })
  const description = h('input', { name: 'description' })
  const tags = h('textarea', { name: 'tags', rows: 3, placeholder: 'Project=blue\nOwner=me' })
  const custom = h('input', { type: 'checkbox', name: 'customPolicy' })
  const review = h('dl', { class: 'review' })
  const slot = h('div', { 'aria-live': 'polite' })

  const refreshSpecs = () => {
    const type = typeSel.value as KeyType
    replace(specSel, SPECS[type].map((s) => h('option', { value: s }, s)))
    refreshUsages()
  }
  const refreshUsages = () => replace(usageSel, usagesFor(typeSel.value as KeyType, specSel.value).map((u) => h('option', { value: u }, u)))
  typeSel.addEventListener('change', refreshSpecs)
  specSel.addEventListener('change', refreshUsages)
  account.addEventListener('change', () => { if (/^\d{12}$/.test(account.value)) policyText.value = defaultKeyPolicy(account.value) })

  const policyEditor = h('div', { hidden: true }, field('Your account ID (for the default policy)', account), field('Key policy (JSON)', policyText))
  custom.addEventListener('change', () => { policyEditor.hidden = !custom.checked })

  const steps = [
    h('fieldset', {}, h('legend', {}, STEPS[0]), field('Key type', typeSel), field('Key spec', specSel), field('Key usage', usageSel),
      checkboxField('Multi-Region key (mrk- key id)', multiRegion)),
    h('fieldset', {}, h('legend', {}, STEPS[1]), field('Alias (optional)', alias, 'Must start with alias/.'), field('Description', description),
      field('Tags', tags, 'One Key=Value a line.')),
    h('fieldset', {}, h('legend', {}, STEPS[2]),
      h('p', {}, 'Without changes the key gets AWS\'s default key policy: the account\'s IAM policies decide who may use it.'),
      checkboxField('Edit the policy, starting from the default', custom),
      policyEditor),
    h('fieldset', {}, h('legend', {}, STEPS[3]), review),
  ]
  let step = 0
  const progress = h('ol', { class: 'steps' })
  const back = h('button', { type: 'button' }, 'Back')
  const next = h('button', { type: 'button', class: 'primary' }, 'Next')
  const create = h('button', { type: 'submit', class: 'primary' }, 'Create key')

  const request = (): Record<string, unknown> => {
    const tagList: Tag[] = parseTags(tags.value)
    return {
      KeySpec: specSel.value, KeyUsage: usageSel.value,
      ...(multiRegion.checked ? { MultiRegion: true } : {}),
      ...(description.value ? { Description: description.value } : {}),
      ...(tagList.length > 0 ? { Tags: tagList } : {}),
      ...(custom.checked ? { Policy: policyText.value } : {}),
    }
  }
  const show = () => {
    steps.forEach((s, i) => { s.hidden = i !== step })
    replace(progress, STEPS.map((label, i) => h('li', { 'aria-current': i === step ? 'step' : null }, label)))
    back.hidden = step === 0
    next.hidden = step === STEPS.length - 1
    create.hidden = step !== STEPS.length - 1
    if (step === STEPS.length - 1) {
      const r = request()
      replace(review, Object.entries({ ...r, Alias: alias.value || '(none)', Policy: custom.checked ? 'edited (below)' : 'default' })
        .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? v : JSON.stringify(v))]))
    }
    steps[step]!.querySelector<HTMLElement>('select, input, textarea, button')?.focus()
  }
  back.addEventListener('click', () => { step -= 1; show() })
  next.addEventListener('click', () => {
    try {
      if (step === 1) parseTags(tags.value)
      if (step === 2 && custom.checked) JSON.parse(policyText.value)
    } catch (e) {
      replace(slot, errorBox(e))
      return
    }
    replace(slot)
    step += 1
    show()
  })
  const form = h('form', { class: 'card wizard', 'aria-labelledby': 'create-title' }, progress, ...steps, h('div', { class: 'actions' }, back, next, create), slot)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    create.disabled = true
    void (async () => {
      try {
        const created = await kms<{ KeyMetadata: KeyMetadata }>('CreateKey', request())
        const keyId = created.KeyMetadata.KeyId
        const link = h('a', { href: `#/key/${encodeURIComponent(keyId)}` }, `Open key ${keyId}`)
        try {
          if (alias.value) await kms('CreateAlias', { AliasName: alias.value.trim(), TargetKeyId: keyId })
          replace(slot, noticeBox(`Created key ${keyId}${alias.value ? ` with alias ${alias.value.trim()}` : ''}.`), link)
        } catch (e) {
          replace(slot, noticeBox(`Created key ${keyId}, but its alias was refused:`), errorBox(e), link)
        }
      } catch (e) {
        replace(slot, errorBox(e))
      } finally {
        create.disabled = false
      }
    })()
  })
  main.append(h('h1', { id: 'create-title', tabindex: '-1' }, 'Create key'), form)
  show()
}
