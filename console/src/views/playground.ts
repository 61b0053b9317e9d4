// Playground: encrypt, decrypt, sign, verify, generate and verify MAC, and generate a data key, each one a
// signed API call. Nothing is computed in the browser; every call is authorized and audited like any other.
// Algorithm choices follow the named key (DescribeKey) once it is known.
import { kms, listAll } from '../api.js'
import { fromBase64, fromUtf8, toBase64, utf8 } from '../bytes.js'
import { field, h, replace, select } from '../dom.js'
import { errorBox } from '../feedback.js'
import type { AliasEntry, KeyMetadata } from '../kms-types.js'
import { section } from '../section.js'

const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1', 'SM2PKE']
const SIGNING_ALGORITHMS = ['ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'ED25519_SHA_512', 'ML_DSA_SHAKE_256', 'SM2DSA']
const MAC_ALGORITHMS = ['HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_384', 'HMAC_SHA_512']

/** The encryption context typed as a JSON object of strings; empty text means none. Throws on anything else. */
function context(text: string): Record<string, string> | undefined {
  if (text.trim() === '') return undefined
  const value = JSON.parse(text) as unknown
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new Error('The encryption context must be a JSON object of strings, e.g. {"purpose":"test"}')
  }
  return value as Record<string, string>
}

function output(label: string, value: string): HTMLElement {
  const out = h('textarea', { readonly: true, rows: 3, class: 'code output' })
  out.value = value
  return field(label, out)
}

type AlgorithmList = 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms'

interface OperationForm {
  title: string
  /** Which of the key's algorithm lists the `algorithm` control offers once the key is known. */
  algorithms?: AlgorithmList
  controls: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>
  labels: Record<string, string>
  /** Calls the API with the form's values; returns [label, value] pairs to show. */
  run(values: Record<string, string>, keyId: string): Promise<[string, string][]>
}

function text(name: string): HTMLTextAreaElement {
  return h('textarea', { name, rows: 2 })
}

function forms(): OperationForm[] {
  return [
    { title: 'Encrypt', algorithms: 'EncryptionAlgorithms', labels: { plaintext: 'Plaintext (text)', context: 'Encryption context (JSON, optional)', algorithm: 'Algorithm' },
      controls: { plaintext: text('plaintext'), context: h('input', { name: 'context' }), algorithm: select('algorithm', ENCRYPTION_ALGORITHMS) },
      async run(v, KeyId) {
        const r = await kms<{ CiphertextBlob: string; KeyId: string }>('Encrypt', { KeyId, Plaintext: toBase64(utf8(v.plaintext!)), EncryptionContext: context(v.context!), EncryptionAlgorithm: v.algorithm })
        return [['Ciphertext (base64)', r.CiphertextBlob], ['Key', r.KeyId]]
      } },
    { title: 'Decrypt', algorithms: 'EncryptionAlgorithms', labels: { ciphertext: 'Ciphertext (base64)', context: 'Encryption context (JSON, optional)', algorithm: 'Algorithm' },
      controls: { ciphertext: text('ciphertext'), context: h('input', { name: 'context' }), algorithm: select('algorithm', ENCRYPTION_ALGORITHMS) },
      async run(v, KeyId) {
        const r = await kms<{ Plaintext: string; KeyId: string }>('Decrypt', { KeyId, CiphertextBlob: toBase64(fromBase64(v.ciphertext!, 'Ciphertext')), EncryptionContext: context(v.context!), EncryptionAlgorithm: v.algorithm })
        return [['Plaintext (text)', fromUtf8(fromBase64(r.Plaintext))], ['Key', r.KeyId]]
      } },
    { title: 'Sign', algorithms: 'SigningAlgorithms', labels: { message: 'Message (text)', algorithm: 'Signing algorithm' },
      controls: { message: text('message'), algorithm: select('algorithm', SIGNING_ALGORITHMS) },
      async run(v, KeyId) {
        const r = await kms<{ Signature: string }>('Sign', { KeyId, Message: toBase64(utf8(v.message!)), MessageType: 'RAW', SigningAlgorithm: v.algorithm })
        return [['Signature (base64)', r.Signature]]
      } },
    { title: 'Verify', algorithms: 'SigningAlgorithms', labels: { message: 'Message (text)', signature: 'Signature (base64)', algorithm: 'Signing algorithm' },
      controls: { message: text('message'), signature: text('signature'), algorithm: select('algorithm', SIGNING_ALGORITHMS) },
      async run(v, KeyId) {
        const r = await kms<{ SignatureValid: boolean }>('Verify', { KeyId, Message: toBase64(utf8(v.message!)), MessageType: 'RAW', Signature: toBase64(fromBase64(v.signature!, 'Signature')), SigningAlgorithm: v.algorithm })
        return [['Signature valid', String(r.SignatureValid)]]
      } },
    { title: 'Generate MAC', algorithms: 'MacAlgorithms', labels: { message: 'Message (text)', algorithm: 'MAC algorithm' },
      controls: { message: text('message'), algorithm: select('algorithm', MAC_ALGORITHMS) },
      async run(v, KeyId) {
        const r = await kms<{ Mac: string }>('GenerateMac', { KeyId, Message: toBase64(utf8(v.message!)), MacAlgorithm: v.algorithm })
        return [['MAC (base64)', r.Mac]]
      } },
    { title: 'Verify MAC', algorithms: 'MacAlgorithms', labels: { message: 'Message (text)', mac: 'MAC (base64)', algorithm: 'MAC algorithm' },
      controls: { message: text('message'), mac: text('mac'), algorithm: select('algorithm', MAC_ALGORITHMS) },
      async run(v, KeyId) {
        const r = await kms<{ MacValid: boolean }>('VerifyMac', { KeyId, Message: toBase64(utf8(v.message!)), Mac: toBase64(fromBase64(v.mac!, 'MAC')), MacAlgorithm: v.algorithm })
        return [['MAC valid', String(r.MacValid)]]
      } },
    { title: 'Generate data key', labels: { spec: 'Data key spec', context: 'Encryption context (JSON, optional)' },
      controls: { spec: select('spec', ['AES_256', 'AES_128']), context: h('input', { name: 'context' }) },
      async run(v, KeyId) {
        const r = await kms<{ Plaintext: string; CiphertextBlob: string }>('GenerateDataKey', { KeyId, KeySpec: v.spec, EncryptionContext: context(v.context!) })
        return [['Plaintext data key (base64)', r.Plaintext], ['Encrypted data key (base64)', r.CiphertextBlob]]
      } },
  ]
}

function operationSection(op: OperationForm, keyInput: HTMLInputElement): HTMLElement {
  const result = h('div', { class: 'result', 'aria-live': 'polite' })
  const button = h('button', { type: 'submit', class: 'primary' }, op.title)
  const form = h('form', { 'aria-label': op.title }, Object.entries(op.controls).map(([k, c]) => field(op.labels[k]!, c)), button, result)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    button.disabled = true
    const values = Object.fromEntries(Object.entries(op.controls).map(([k, c]) => [k, c.value]))
    op.run(values, keyInput.value.trim())
      .then((pairs) => replace(result, pairs.map(([label, value]) => output(label, value))))
      .catch((e: unknown) => replace(result, errorBox(e)))
      .finally(() => { button.disabled = false })
  })
  const s = section(op.title, form)
  s.dataset.operation = op.title
  return s
}

/** Narrows each algorithm list to what the named key supports (DescribeKey); left as it is when that fails. */
async function offerKeyAlgorithms(keyId: string, ops: OperationForm[]): Promise<void> {
  if (!keyId) return
  let metadata: KeyMetadata
  try {
    metadata = (await kms<{ KeyMetadata: KeyMetadata }>('DescribeKey', { KeyId: keyId })).KeyMetadata
  } catch {
    return // the operation itself will show the API's error for this key
  }
  for (const op of ops) {
    const control = op.controls.algorithm
    const offered = op.algorithms ? metadata[op.algorithms] : undefined
    if (control instanceof HTMLSelectElement && offered && offered.length > 0) replace(control, offered.map((a) => h('option', { value: a }, a)))
  }
}

export async function renderPlayground(main: HTMLElement, keyId: string | undefined): Promise<void> {
  const keyInput = h('input', { name: 'keyId', value: keyId ?? '', list: 'playground-aliases', spellcheck: 'false', required: true })
  const aliases = await listAll<AliasEntry>('ListAliases', { Limit: 100 }, 'Aliases').catch(() => [])
  const ops = forms()
  keyInput.addEventListener('change', () => void offerKeyAlgorithms(keyInput.value.trim(), ops))
  await offerKeyAlgorithms(keyInput.value.trim(), ops)
  main.append(
    h('h1', { tabindex: '-1' }, 'Playground'),
    h('p', { class: 'notice' }, 'Everything on this page is sent to Trent\'s API, signed with your credentials, authorized by the key\'s policy and recorded in the audit log, like any other client\'s request. Nothing is encrypted, signed or computed in the browser: what you type here travels to the server.'),
    h('div', { class: 'card' }, field('Key (key ID, key ARN, alias name or alias ARN)', keyInput),
      h('datalist', { id: 'playground-aliases' }, aliases.map((a) => h('option', { value: a.AliasName })))),
    h('div', { class: 'grid' }, ops.map((op) => operationSection(op, keyInput))),
  )
}
