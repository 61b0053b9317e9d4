// Every row of ../shared/reference/aws-kms-error-messages.md through the real pipeline: the exact `__type`, the
// exact message or its absence (a bare `{"__type"}`), and the audit record's errorCode and errorMessage to match.
// A row Trent cannot reach yet (rotation, ReplicateKey) is listed with its reason; a last test reads the
// reference file and fails on any row that is neither covered nor listed.
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_ACCOUNT, b64, createHarness, type CallResult, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, arnFor, assertAwsError, createKey, encryptUnder, notFoundMessage, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'
import { getImportParameters, importMaterial, wrapForImport } from '../../test/support/import-fixtures.js'
import { deriveMaterialId } from '../keys/material-binding.js'
import { externalKey } from '../../test/support/rotation-fixtures.js'
import { wireModel } from '../wire/model.generated.js'
import { referenceFile } from '../wire/reference-files.js'
import { ON_DEMAND_ROTATION_LIMIT } from '../keys/rotation-rules.js'

interface Keys { sym: TestKey; other: TestKey; external: TestKey; sign: TestKey; hmac: TestKey; agree: TestKey; rsa: TestKey; blob: string; signature: string }

interface Row {
  /** The reference file's section and the first cell of its row. */
  section: string
  row: string
  call: (h: Harness, k: Keys) => Promise<CallResult>
  /** Steps around the call (their own requests are audited too, so they stay outside the one-record check). */
  setUp?: (h: Harness, k: Keys) => Promise<unknown>
  tearDown?: (h: Harness, k: Keys) => Promise<unknown>
  type: string
  /** The exact message, or null where AWS sends none. */
  message: (k: Keys) => string | null
}

const NEVER = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
const SECOND_MATERIAL = new Uint8Array(32).fill(2)
const THIRD_MATERIAL = new Uint8Array(32).fill(3)
/** The ImportKeyMaterial request the pending-rotation row's setUp prepares (its own requests stay outside the one-record check). */
let thirdImport: Record<string, unknown> = {}

const NO_MESSAGE = 'Exceptions that carry no message'
const ECHO = "Messages that echo the caller's value"
const USAGE = 'Key usage, key spec and algorithm'
const STATE = 'Key state, origin and rotation'
const TAGS = 'Tags and aliases'
const one = (detail: string) => `1 validation error detected: ${detail}`
const enumOf = (shape: string) => { const s = wireModel.shapes[shape]; return s?.type === 'string' ? (s.enum ?? []).join(', ') : '' }
const tags = (n: number, key = (i: number) => `k${i}`) => Array.from({ length: n }, (_, i) => ({ TagKey: key(i), TagValue: 'v' }))

/** A key whose on-demand rotations are used up (made by the limit row's setUp). */
let rotatedOut: TestKey
/** The EXTERNAL key an EXTERNAL row's call made (straight in the store, so unaudited). */
let externalArn = ''

function tampered(blob: string): string {
  const bytes = Buffer.from(blob, 'base64')
  bytes[bytes.length - 1]! ^= 0x01
  return bytes.toString('base64')
}

const rows: Row[] = [
  { section: NO_MESSAGE, row: 'InvalidCiphertextException', type: 'InvalidCiphertextException', message: () => null,
    call: (h, k) => h.call('Decrypt', { CiphertextBlob: tampered(k.blob) }) },
  { section: NO_MESSAGE, row: 'InvalidCiphertextException', type: 'InvalidCiphertextException', message: () => null,
    call: (h, k) => h.call('Decrypt', { CiphertextBlob: k.blob, EncryptionContext: { wrong: 'context' } }) },
  { section: NO_MESSAGE, row: 'KMSInvalidSignatureException', type: 'KMSInvalidSignatureException', message: () => null,
    call: (h, k) => h.call('Verify', { KeyId: k.sign.keyId, Message: b64('other'), SigningAlgorithm: 'ECDSA_SHA_256', Signature: k.signature }) },
  { section: NO_MESSAGE, row: 'KMSInvalidMacException', type: 'KMSInvalidMacException', message: () => null,
    call: (h, k) => h.call('VerifyMac', { KeyId: k.hmac.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256', Mac: b64(new Uint8Array(32)) }) },
  { section: NO_MESSAGE, row: 'ValidationException', type: 'ValidationException', message: () => null,
    call: (h, k) => h.call('DeriveSharedSecret', { KeyId: k.agree.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64('not an SPKI point') }) },

  { section: NO_MESSAGE, row: 'UnsupportedOperationException', type: 'UnsupportedOperationException', message: () => null,
    call: (h, k) => h.call('RotateKeyOnDemand', { KeyId: k.hmac.keyId }) },

  { section: ECHO, row: 'NotFoundException, key id that is not a UUID / `mrk-` id / ARN', type: 'NotFoundException', message: () => "Invalid keyId 'not-a-key'",
    call: (h) => h.call('DescribeKey', { KeyId: 'not-a-key' }) },
  { section: ECHO, row: 'NotFoundException, well-formed key id or ARN that does not exist', type: 'NotFoundException', message: () => notFoundMessage(UNKNOWN_KEY_ID),
    call: (h) => h.call('DescribeKey', { KeyId: UNKNOWN_KEY_ID }) },
  { section: ECHO, row: 'NotFoundException, well-formed key id or ARN that does not exist', type: 'NotFoundException', message: () => notFoundMessage(UNKNOWN_KEY_ID, '444455556666'),
    call: (h) => h.call('Encrypt', { KeyId: arnFor(UNKNOWN_KEY_ID, '444455556666'), Plaintext: b64('x') }) },
  { section: ECHO, row: 'NotFoundException, key ARN naming another region', type: 'NotFoundException', message: () => 'Invalid arn eu-west-1',
    call: (h, k) => h.call('DescribeKey', { KeyId: arnFor(k.sym.keyId, TEST_ACCOUNT, 'eu-west-1') }) },
  { section: ECHO, row: 'ValidationException, enum member', type: 'ValidationException',
    message: () => one(`Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${enumOf('KeySpec')}]`),
    call: (h) => h.call('CreateKey', { KeySpec: 'AES_512' }) },
  { section: ECHO, row: 'ValidationException, enum member', type: 'ValidationException',
    message: () => one(`Value 'HMAC_MD5' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [${enumOf('MacAlgorithmSpec')}]`),
    call: (h, k) => h.call('GenerateMac', { KeyId: k.hmac.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_MD5' }) },
  { section: ECHO, row: 'ValidationException, number range', type: 'ValidationException',
    message: () => one("Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    call: (h) => h.call('GenerateRandom', { NumberOfBytes: 0 }) },
  { section: ECHO, row: 'ValidationException, number range', type: 'ValidationException',
    message: () => one("Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"),
    call: (h) => h.call('GenerateRandom', { NumberOfBytes: 1025 }) },
  { section: ECHO, row: 'ValidationException, string length', type: 'ValidationException',
    message: () => one(`Value '${'k'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`),
    call: (h, k) => h.call('TagResource', { KeyId: k.sym.keyId, Tags: [{ TagKey: 'k'.repeat(129), TagValue: 'v' }] }) },
  { section: ECHO, row: 'ValidationException, sensitive member too long', type: 'ValidationException',
    message: () => one("Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"),
    call: (h, k) => h.call('Encrypt', { KeyId: k.sym.keyId, Plaintext: b64(new Uint8Array(4097)) }) },
  { section: ECHO, row: 'ValidationException, GenerateRandom without NumberOfBytes', type: 'ValidationException', message: () => 'NumberOfBytes is required.',
    call: (h) => h.call('GenerateRandom', {}) },

  { section: USAGE, row: 'InvalidKeyUsageException, wrong usage for the operation', type: 'InvalidKeyUsageException',
    message: (k) => `${k.sign.arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
    call: (h, k) => h.call('Encrypt', { KeyId: k.sign.keyId, Plaintext: b64('x') }) },
  { section: USAGE, row: 'InvalidKeyUsageException, algorithm not allowed for the spec', type: 'InvalidKeyUsageException',
    message: () => 'Algorithm RSASSA_PSS_SHA_256 is incompatible with key spec ECC_NIST_P256.',
    call: (h, k) => h.call('Sign', { KeyId: k.sign.keyId, Message: b64('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }) },
  { section: USAGE, row: 'InvalidKeyUsageException, algorithm not allowed for the spec', type: 'InvalidKeyUsageException',
    message: () => 'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.',
    call: (h, k) => h.call('Encrypt', { KeyId: k.sym.keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }) },
  { section: USAGE, row: 'ValidationException, CreateKey without KeyUsage for a non-symmetric spec', type: 'ValidationException',
    message: () => 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    call: (h) => h.call('CreateKey', { KeySpec: 'RSA_2048' }) },
  { section: USAGE, row: 'ValidationException, usage not allowed for the spec', type: 'ValidationException',
    message: () => 'KeyUsage GENERATE_VERIFY_MAC is not compatible with KeySpec RSA_2048',
    call: (h) => h.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'GENERATE_VERIFY_MAC' }) },
  { section: USAGE, row: 'ValidationException, RSA plaintext too long', type: 'ValidationException',
    message: () => 'Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.',
    call: (h, k) => h.call('Encrypt', { KeyId: k.rsa.keyId, Plaintext: b64(new Uint8Array(191)), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }) },
  { section: USAGE, row: 'ValidationException, DIGEST of the wrong length', type: 'ValidationException',
    message: () => 'Digest is invalid length for algorithm ECDSA_SHA_256.',
    call: (h, k) => h.call('Sign', { KeyId: k.sign.keyId, Message: b64(new Uint8Array(31)), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }) },
  { section: USAGE, row: 'IncorrectKeyException, Decrypt/ReEncrypt with a KeyId that did not encrypt the blob', type: 'IncorrectKeyException',
    message: () => 'The key ID in the request does not identify a CMK that can perform this operation.',
    call: (h, k) => h.call('Decrypt', { CiphertextBlob: k.blob, KeyId: k.other.keyId }) },
  { section: USAGE, row: 'IncorrectKeyException, Decrypt/ReEncrypt with a KeyId that did not encrypt the blob', type: 'IncorrectKeyException',
    message: () => 'The key ID in the request does not identify a CMK that can perform this operation.',
    call: (h, k) => h.call('ReEncrypt', { CiphertextBlob: k.blob, SourceKeyId: k.other.keyId, DestinationKeyId: k.sym.keyId }) },

  { section: STATE, row: 'UnsupportedOperationException, ReplicateKey on a key that is not a multi-Region primary', type: 'UnsupportedOperationException',
    message: (k) => `${k.sym.arn} is not a multi-region primary key.`, call: (h, k) => h.call('ReplicateKey', { KeyId: k.sym.keyId, ReplicaRegion: 'eu-west-1' }) },
  { section: STATE, row: 'DisabledException', type: 'DisabledException', message: (k) => `${k.other.arn} is disabled.`,
    setUp: (h, k) => ok(h, 'DisableKey', { KeyId: k.other.keyId }), tearDown: (h, k) => ok(h, 'EnableKey', { KeyId: k.other.keyId }),
    call: (h, k) => h.call('Encrypt', { KeyId: k.other.keyId, Plaintext: b64('x') }) },
  { section: STATE, row: 'KMSInvalidStateException, key waiting for imported material', type: 'KMSInvalidStateException', message: (k) => `${k.external.arn} is pending import.`,
    call: (h, k) => h.call('Encrypt', { KeyId: k.external.keyId, Plaintext: b64('x') }) },
  { section: STATE, row: 'KMSInvalidStateException, importing NEW material while other material is pending rotation', type: 'KMSInvalidStateException',
    message: (k) => `New key material (id: ${deriveMaterialId(2, k.external.keyId, THIRD_MATERIAL)}) cannot be imported into KMS key ${k.external.keyId}, because another key material (id: ${deriveMaterialId(2, k.external.keyId, SECOND_MATERIAL)}) is pending rotation.`,
    setUp: async (h, k) => {
      await importMaterial(h, k.external.keyId, new Uint8Array(32).fill(1))
      await importMaterial(h, k.external.keyId, SECOND_MATERIAL, { extra: { ...NEVER, ImportType: 'NEW_KEY_MATERIAL' } })
      const params = await getImportParameters(h, k.external.keyId)
      thirdImport = { KeyId: k.external.keyId, ImportToken: params.importToken, EncryptedKeyMaterial: b64(wrapForImport(params.publicKey, params.algorithm, THIRD_MATERIAL)), ...NEVER, ImportType: 'NEW_KEY_MATERIAL' }
    },
    call: (h) => h.call('ImportKeyMaterial', thirdImport) },
  { section: STATE, row: 'UnsupportedOperationException, GetParametersForImport on an AWS_KMS key', type: 'UnsupportedOperationException',
    message: (k) => `${k.sym.arn} origin is AWS_KMS which is not valid for this operation.`,
    call: (h, k) => h.call('GetParametersForImport', { KeyId: k.sym.keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }) },
  { section: STATE, row: 'ValidationException, ImportKeyMaterial with KEY_MATERIAL_EXPIRES and no ValidTo', type: 'ValidationException',
    message: () => 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES',
    call: (h, k) => h.call('ImportKeyMaterial', { KeyId: k.external.keyId, ImportToken: b64('token'), EncryptedKeyMaterial: b64('material'), ExpirationModel: 'KEY_MATERIAL_EXPIRES' }) },
  { section: STATE, row: 'KMSInvalidStateException, RotateKeyOnDemand on an EXTERNAL key with no material pending rotation', type: 'KMSInvalidStateException',
    message: () => 'No available key material pending rotation for the key: ' + externalArn + '.',
    call: async (h) => h.call('RotateKeyOnDemand', { KeyId: (externalArn = (await externalKey(h)).arn) }) },
  // Trent follows the 2025 import rules for RotateKeyOnDemand (the row above); this wording is what AWS answers,
  // and Trent with it, when automatic rotation is asked of an EXTERNAL key.
  { section: STATE, row: 'UnsupportedOperationException, RotateKeyOnDemand on an EXTERNAL key (before 2025 import rules)', type: 'UnsupportedOperationException',
    message: () => `${externalArn} origin is EXTERNAL which is not valid for this operation.`,
    call: async (h) => h.call('EnableKeyRotation', { KeyId: (externalArn = (await externalKey(h)).arn) }) },
  { section: STATE, row: 'LimitExceededException, on-demand rotation limit', type: 'LimitExceededException',
    message: () => `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${rotatedOut.arn}`,
    setUp: async (h) => {
      rotatedOut = await createKey(h)
      for (let i = 0; i < ON_DEMAND_ROTATION_LIMIT; i++) await ok(h, 'RotateKeyOnDemand', { KeyId: rotatedOut.keyId })
    },
    call: (h) => h.call('RotateKeyOnDemand', { KeyId: rotatedOut.keyId }) },
  { section: STATE, row: 'DryRunOperationException', type: 'DryRunOperationException', message: () => 'The request would have succeeded, but the DryRun option is set.',
    call: (h, k) => h.call('Encrypt', { KeyId: k.sym.keyId, Plaintext: b64('x'), DryRun: true }) },

  { section: TAGS, row: 'TagException, key starting with `aws:`', type: 'TagException', message: () => 'Tags beginning with aws: are reserved',
    call: (h) => h.call('CreateKey', { Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] }) },
  { section: TAGS, row: 'TagException, key starting with `aws:`', type: 'TagException', message: () => 'Tags beginning with aws: are reserved',
    call: (h, k) => h.call('UntagResource', { KeyId: k.sym.keyId, TagKeys: ['AWS:x'] }) },
  { section: TAGS, row: 'TagException, duplicate keys in one request', type: 'TagException', message: () => 'Duplicate tag keys',
    call: (h, k) => h.call('TagResource', { KeyId: k.sym.keyId, Tags: tags(2, () => 'same') }) },
  { section: TAGS, row: 'TagException, more than 50 tags on CreateKey', type: 'TagException', message: () => 'Too many tags',
    call: (h) => h.call('CreateKey', { Tags: tags(51) }) },
  { section: TAGS, row: 'ValidationException, alias without the prefix', type: 'ValidationException',
    message: () => 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    call: (h, k) => h.call('CreateAlias', { AliasName: 'no-prefix', TargetKeyId: k.sym.keyId }) },
]

/** Rows about operations Trent does not serve (none now). */
const notApplicable: Record<string, string> = {}

describe('AWS error messages, row by row of aws-kms-error-messages.md', () => {
  let h: Harness
  let keys: Keys
  before(async () => {
    h = await createHarness()
    const sym = await createKey(h)
    keys = {
      sym, other: await createKey(h), external: await createKey(h, { Origin: 'EXTERNAL' }), blob: await encryptUnder(h, sym.keyId, 'secret'),
      sign: await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      hmac: await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
      agree: await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }),
      rsa: await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }), signature: '',
    }
    keys.signature = String((await ok(h, 'Sign', { KeyId: keys.sign.keyId, Message: b64('signed'), SigningAlgorithm: 'ECDSA_SHA_256' })).Signature)
  })
  after(() => h.close())

  for (const section of [NO_MESSAGE, ECHO, USAGE, STATE, TAGS]) {
    describe(section, () => {
      for (const [i, row] of rows.entries()) {
        if (row.section !== section) continue
        it(`${row.row} (#${i})`, async () => {
          await row.setUp?.(h, keys)
          const { res, record } = await withOneAudit(h, () => row.call(h, keys))
          await row.tearDown?.(h, keys)
          const message = row.message(keys)
          assertAwsError(res, row.type, message)
          // The audit record carries what the caller got: the code always, the message only where AWS sends one.
          assert.equal(record.errorCode, row.type)
          if (message === null) assert.equal('errorMessage' in record, false, JSON.stringify(record))
          else assert.equal(record.errorMessage, message)
        })
      }
    })
  }

  const { path: reference, found } = referenceFile('aws-kms-error-messages.md')
  it('covers every row of the reference file, or lists it as not applicable', { skip: found ? false : `reference file not found at ${reference}` }, () => {
    const covered = new Set(rows.map((r) => `${r.section} | ${r.row}`))
    let section = ''
    const missing: string[] = []
    for (const line of readFileSync(reference, 'utf8').split('\n')) {
      if (line.startsWith('## ')) section = line.slice(3).trim()
      if (!line.startsWith('|') || line.startsWith('|---') || line.startsWith('| exception')) continue
      const id = `${section} | ${line.split('|')[1]!.trim()}`
      if (!covered.has(id) && notApplicable[id] === undefined) missing.push(id)
    }
    assert.deepEqual(missing, [])
  })
})
