// Every key state × every operation Trent serves, through the real pipeline: the key is put into each state
// directly in the store (states Trent cannot reach yet included), the operation gets a valid request, and the
// reply is success or the exact exception AWS sends (aws-kms-facts.md §5). The expectations are written here
// from the facts, not read from keys/key-state.ts, so the table is tested rather than restated. An operation
// added to the registry without a case here fails the last test.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_ACCOUNT, b64, createHarness, type CallResult, type Harness } from '../../test/support/harness.js'
import { DAY_MS, arnFor, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'
import { getImportParameters, importMaterial, wrapForImport } from '../../test/support/import-fixtures.js'
import type { KeyState } from '../keys/key.js'
import { registry } from './registry.js'

/** Columns, in this order, of every expectation row. */
const STATES: KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'PendingImport', 'Unavailable', 'Creating', 'Updating']

/**
 * ✓ success; D DisabledException; S KMSInvalidStateException naming the state; N `is not pending deletion.`;
 * R DryRunOperationException; U UnsupportedOperationException (origin EXTERNAL for a key in PendingImport; a custom
 * key store's key for an Unavailable one).
 */
type Cell = '✓' | 'D' | 'S' | 'N' | 'R' | 'U'

const WORDING: Record<KeyState, string> = {
  Enabled: 'is enabled.', Disabled: 'is disabled.', PendingDeletion: 'is pending deletion.', PendingReplicaDeletion: 'is pending replica deletion.',
  PendingImport: 'is pending import.', Unavailable: 'is unavailable.', Creating: 'is creating.', Updating: 'is updating.',
}

// The rows of facts §5 (En | Dis | PendDel | PendReplDel | PendImport | Unavail | Creating | Updating).
const CRYPTO = '✓ D S S S S S ✓'
const CRYPTO_DRY_RUN = 'R D S S S S S R'
const CREATE_GRANT = '✓ D S S S ✓ S ✓'
const ANY = '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'
const TOGGLE = '✓ ✓ S S S ✓ S S'
const SCHEDULE_DELETION = '✓ ✓ S S ✓ ✓ ✓ S'
const CANCEL_DELETION = 'N N ✓ ✓ N N N N'
const NOT_PENDING_DELETION = '✓ ✓ S S ✓ ✓ ✓ ✓'
const ROTATION_SETTING = '✓ D S S U U S ✓'
const ROTATION_STATUS = '✓ ✓ ✓ ✓ U U ✓ ✓'
const ROTATE_NOW = '✓ D S S S U S S'
/** ListKeyRotations also lists an imported key's materials while it waits for one. */
const ROTATION_LIST = '✓ ✓ ✓ ✓ ✓ U ✓ ✓'
// Import operations, on an EXTERNAL key (a custom key store's key would be Unavailable: U).
const GET_IMPORT_PARAMETERS = '✓ ✓ S S ✓ U S S'
const IMPORT_MATERIAL = '✓ ✓ S S ✓ U S ✓'
const DELETE_IMPORTED = '✓ ✓ ✓ ✓ ✓ U S S'

type KeyKind = 'symmetric' | 'rsa' | 'sign' | 'hmac' | 'agree' | 'external'

interface Fixture {
  keys: Record<KeyKind, TestKey>
  /** An Enabled symmetric key that is never put in another state (the other side of ReEncrypt and UpdateAlias). */
  steady: TestKey
  blob: string
  rsaBlob: string
  signature: string
  mac: string
  peerPublicKey: string
  policies: Record<KeyKind, string>
  /** The material imported into the `external` key, imported again where a case needs it present. */
  externalMaterial: Uint8Array
}

interface Case {
  operation: string
  label?: string
  kind: KeyKind
  expect: string
  /** PendingImport is tried on an EXTERNAL key without material (externalKeyPendingImport) rather than on this kind's key. */
  externalInPendingImport?: boolean
  /** Runs while the key is still Enabled, before its state is set; returns values for the request. */
  setUp?: (h: Harness, f: Fixture, key: TestKey, n: number) => Promise<Record<string, string>>
  request: (f: Fixture, key: TestKey, n: number, set: Record<string, string>) => Record<string, unknown>
}

const ROOT = `arn:aws:iam::${TEST_ACCOUNT}:root`
const createGrant = async (h: Harness, _f: Fixture, key: TestKey) =>
  ({ grantId: String((await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: ROOT, Operations: ['Encrypt'] })).GrantId) })
const aliasTo = (keyId: (f: Fixture, key: TestKey) => string) => async (h: Harness, f: Fixture, key: TestKey, n: number) => {
  const aliasName = `alias/matrix-${n}`
  await ok(h, 'CreateAlias', { AliasName: aliasName, TargetKeyId: keyId(f, key) })
  return { aliasName }
}

/** Fresh import parameters and the external key's own material wrapped under them (re-importing the same material). */
const wrappedMaterial = async (h: Harness, f: Fixture, key: TestKey) => {
  const params = await getImportParameters(h, key.keyId)
  return { token: params.importToken, material: b64(wrapForImport(params.publicKey, params.algorithm, f.externalMaterial)) }
}
/** The external key holds its material again (a DeleteImportedKeyMaterial of an earlier cell took it). */
const materialPresent = async (h: Harness, f: Fixture, key: TestKey) => {
  await importMaterial(h, key.keyId, f.externalMaterial)
  await putInState(h, key.keyId, 'Enabled')
  return {}
}

const cases: Case[] = [
  { operation: 'Encrypt', kind: 'symmetric', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId, Plaintext: b64('x') }) },
  { operation: 'Encrypt', label: 'key pair', kind: 'rsa', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }) },
  { operation: 'Encrypt', label: 'DryRun', kind: 'symmetric', expect: CRYPTO_DRY_RUN, request: (_f, k) => ({ KeyId: k.keyId, Plaintext: b64('x'), DryRun: true }) },
  { operation: 'Decrypt', kind: 'symmetric', expect: CRYPTO, request: (f) => ({ CiphertextBlob: f.blob }) },
  { operation: 'Decrypt', label: 'key pair', kind: 'rsa', expect: CRYPTO, request: (f, k) => ({ KeyId: k.keyId, CiphertextBlob: f.rsaBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }) },
  { operation: 'Decrypt', label: 'DryRun IGNORE_CIPHERTEXT', kind: 'symmetric', expect: CRYPTO_DRY_RUN, request: (_f, k) => ({ KeyId: k.keyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }) },
  { operation: 'ReEncrypt', label: 'source', kind: 'symmetric', expect: CRYPTO, request: (f) => ({ CiphertextBlob: f.blob, DestinationKeyId: f.steady.keyId }) },
  { operation: 'ReEncrypt', label: 'destination', kind: 'symmetric', expect: CRYPTO, request: (f, k) => ({ CiphertextBlob: f.blob, DestinationKeyId: k.keyId }) },
  { operation: 'GenerateDataKey', kind: 'symmetric', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId, KeySpec: 'AES_256' }) },
  { operation: 'GenerateDataKeyWithoutPlaintext', kind: 'symmetric', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId, NumberOfBytes: 16 }) },
  { operation: 'GenerateDataKeyPair', kind: 'symmetric', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId, KeyPairSpec: 'ECC_NIST_P256' }) },
  { operation: 'GenerateDataKeyPairWithoutPlaintext', kind: 'symmetric', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId, KeyPairSpec: 'ECC_NIST_P256' }) },
  { operation: 'Sign', kind: 'sign', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId, Message: b64('m'), SigningAlgorithm: 'ECDSA_SHA_256' }) },
  { operation: 'Verify', kind: 'sign', expect: CRYPTO, request: (f, k) => ({ KeyId: k.keyId, Message: b64('m'), SigningAlgorithm: 'ECDSA_SHA_256', Signature: f.signature }) },
  { operation: 'GetPublicKey', kind: 'sign', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'GenerateMac', kind: 'hmac', expect: CRYPTO, request: (_f, k) => ({ KeyId: k.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256' }) },
  { operation: 'VerifyMac', kind: 'hmac', expect: CRYPTO, request: (f, k) => ({ KeyId: k.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256', Mac: f.mac }) },
  { operation: 'DeriveSharedSecret', kind: 'agree', expect: CRYPTO, request: (f, k) => ({ KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: f.peerPublicKey }) },
  { operation: 'CreateGrant', kind: 'symmetric', expect: CREATE_GRANT, request: (_f, k) => ({ KeyId: k.keyId, GranteePrincipal: ROOT, Operations: ['Decrypt'] }) },
  { operation: 'ListGrants', kind: 'symmetric', expect: ANY, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'RetireGrant', kind: 'symmetric', expect: ANY, setUp: createGrant, request: (_f, k, _n, s) => ({ KeyId: k.arn, GrantId: s.grantId }) },
  { operation: 'RevokeGrant', kind: 'symmetric', expect: ANY, setUp: createGrant, request: (_f, k, _n, s) => ({ KeyId: k.keyId, GrantId: s.grantId }) },
  { operation: 'DescribeKey', kind: 'symmetric', expect: ANY, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'GetKeyLastUsage', kind: 'symmetric', expect: ANY, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'GetKeyPolicy', kind: 'symmetric', expect: ANY, request: (_f, k) => ({ KeyId: k.keyId, PolicyName: 'default' }) },
  { operation: 'PutKeyPolicy', kind: 'symmetric', expect: ANY, request: (f, k) => ({ KeyId: k.keyId, PolicyName: 'default', Policy: f.policies.symmetric }) },
  { operation: 'ListKeyPolicies', kind: 'symmetric', expect: ANY, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'ListResourceTags', kind: 'symmetric', expect: ANY, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'ListAliases', label: 'KeyId filter', kind: 'symmetric', expect: ANY, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'DeleteAlias', kind: 'symmetric', expect: ANY, setUp: aliasTo((_f, k) => k.keyId), request: (_f, _k, _n, s) => ({ AliasName: s.aliasName }) },
  { operation: 'CreateAlias', kind: 'symmetric', expect: NOT_PENDING_DELETION, request: (_f, k, n) => ({ AliasName: `alias/created-${n}`, TargetKeyId: k.keyId }) },
  { operation: 'UpdateAlias', label: 'new target', kind: 'symmetric', expect: NOT_PENDING_DELETION, setUp: aliasTo((f) => f.steady.keyId),
    request: (_f, k, _n, s) => ({ AliasName: s.aliasName, TargetKeyId: k.keyId }) },
  { operation: 'UpdateAlias', label: 'current target', kind: 'symmetric', expect: ANY, setUp: aliasTo((_f, k) => k.keyId),
    request: (f, _k, _n, s) => ({ AliasName: s.aliasName, TargetKeyId: f.steady.keyId }) },
  { operation: 'TagResource', kind: 'symmetric', expect: NOT_PENDING_DELETION, request: (_f, k) => ({ KeyId: k.keyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] }) },
  { operation: 'UntagResource', kind: 'symmetric', expect: NOT_PENDING_DELETION, request: (_f, k) => ({ KeyId: k.keyId, TagKeys: ['k'] }) },
  { operation: 'UpdateKeyDescription', kind: 'symmetric', expect: NOT_PENDING_DELETION, request: (_f, k) => ({ KeyId: k.keyId, Description: 'd' }) },
  { operation: 'EnableKey', kind: 'symmetric', expect: TOGGLE, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'DisableKey', kind: 'symmetric', expect: TOGGLE, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'ScheduleKeyDeletion', kind: 'symmetric', expect: SCHEDULE_DELETION, request: (_f, k) => ({ KeyId: k.keyId, PendingWindowInDays: 7 }) },
  { operation: 'CancelKeyDeletion', kind: 'symmetric', expect: CANCEL_DELETION, request: (_f, k) => ({ KeyId: k.keyId }) },
  // Rotation (issue 11, another branch): these run once the operations are in the registry.
  { operation: 'EnableKeyRotation', kind: 'symmetric', externalInPendingImport: true, expect: ROTATION_SETTING, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'DisableKeyRotation', kind: 'symmetric', externalInPendingImport: true, expect: ROTATION_SETTING, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'GetKeyRotationStatus', kind: 'symmetric', externalInPendingImport: true, expect: ROTATION_STATUS, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'RotateKeyOnDemand', kind: 'symmetric', externalInPendingImport: true, expect: ROTATE_NOW, request: (_f, k) => ({ KeyId: k.keyId }) },
  { operation: 'ListKeyRotations', kind: 'symmetric', externalInPendingImport: true, expect: ROTATION_LIST, request: (_f, k) => ({ KeyId: k.keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }) },
  { operation: 'GetParametersForImport', kind: 'external', expect: GET_IMPORT_PARAMETERS,
    request: (_f, k) => ({ KeyId: k.keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }) },
  { operation: 'ImportKeyMaterial', kind: 'external', expect: IMPORT_MATERIAL, setUp: wrappedMaterial,
    request: (_f, k, _n, s) => ({ KeyId: k.keyId, ImportToken: s.token, EncryptedKeyMaterial: s.material, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }) },
  { operation: 'DeleteImportedKeyMaterial', kind: 'external', expect: DELETE_IMPORTED, setUp: materialPresent, request: (_f, k) => ({ KeyId: k.keyId }) },
]

/** Operations that name no key, so no key state applies to them. */
const KEYLESS = ['CreateKey', 'ListKeys', 'GenerateRandom', 'ListRetirableGrants']

async function putInState(h: Harness, keyId: string, keyState: KeyState): Promise<void> {
  const { deletionDate: _d, pendingWindowDays: _p, ...record } = (await h.services.store.getKey(keyId))!
  const pending = keyState === 'PendingDeletion' || keyState === 'PendingReplicaDeletion'
  await h.services.store.updateKey({ ...record, keyState, ...(pending ? { deletionDate: new Date(h.clock.now().getTime() + 7 * DAY_MS), pendingWindowDays: 7 } : {}) })
}

/**
 * A key as AWS has it in PendingImport: origin EXTERNAL and no material (the store cannot change a key's
 * origin, so it is a new key with the same policy). For operations whose PendingImport answer is about origin.
 */
async function externalKeyPendingImport(h: Harness, like: TestKey): Promise<TestKey> {
  const keyId = randomUUID()
  const record = (await h.services.store.getKey(like.keyId))!
  await h.services.store.insertKey({ ...record, keyId, origin: 'EXTERNAL', keyState: 'PendingImport', currentVersion: 0 }, null, [])
  return { keyId, arn: arnFor(keyId) }
}

/** Why `res` is not what the cell says, or undefined when it is. */
function mismatch(res: CallResult, cell: Cell, key: TestKey, state: KeyState): string | undefined {
  const got = `${res.status} ${String(res.body.__type ?? '')} ${String(res.body.message ?? '')}`.trim()
  const want: Record<Cell, [number, string?, string?]> = {
    '✓': [200], R: [400, 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.'],
    D: [400, 'DisabledException', `${key.arn} is disabled.`], S: [400, 'KMSInvalidStateException', `${key.arn} ${WORDING[state]}`],
    N: [400, 'KMSInvalidStateException', `${key.arn} is not pending deletion.`], U: [400, 'UnsupportedOperationException'],
  }
  // For U only the exception is fixed: in PendingImport its message belongs to the operation's origin rule.
  if (cell === 'U') return res.status === 400 && res.body.__type === 'UnsupportedOperationException' ? undefined : `${state}: wanted U, got ${got}`
  const wanted = want[cell].join(' ')
  return got === wanted ? undefined : `${state}: wanted ${wanted}, got ${got}`
}

describe('key state × operation matrix (facts §5), through the pipeline', () => {
  let h: Harness
  let f: Fixture
  let n = 0
  before(async () => {
    h = await createHarness()
    const keys: Record<KeyKind, TestKey> = {
      symmetric: await createKey(h), rsa: await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
      sign: await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      hmac: await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
      agree: await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }),
      external: await createKey(h, { Origin: 'EXTERNAL' }),
    }
    const externalMaterial = randomBytes(32)
    await importMaterial(h, keys.external.keyId, externalMaterial)
    const policies = {} as Record<KeyKind, string>
    for (const kind of Object.keys(keys) as KeyKind[]) policies[kind] = String((await ok(h, 'GetKeyPolicy', { KeyId: keys[kind].keyId, PolicyName: 'default' })).Policy)
    const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' })
    f = {
      keys, policies, externalMaterial, steady: await createKey(h), peerPublicKey: b64(peer),
      blob: String((await ok(h, 'Encrypt', { KeyId: keys.symmetric.keyId, Plaintext: b64('secret') })).CiphertextBlob),
      rsaBlob: String((await ok(h, 'Encrypt', { KeyId: keys.rsa.keyId, Plaintext: b64('secret'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).CiphertextBlob),
      signature: String((await ok(h, 'Sign', { KeyId: keys.sign.keyId, Message: b64('m'), SigningAlgorithm: 'ECDSA_SHA_256' })).Signature),
      mac: String((await ok(h, 'GenerateMac', { KeyId: keys.hmac.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256' })).Mac),
    }
  })
  after(() => h.close())

  for (const c of cases) {
    const served = registry.has(c.operation as never)
    it(`${c.operation}${c.label ? ` (${c.label})` : ''}: ${c.expect}`, { skip: served ? false : 'not served on this branch yet' }, async () => {
      const cells = c.expect.split(' ') as Cell[]
      assert.equal(cells.length, STATES.length)
      const key = f.keys[c.kind]
      const wrong: string[] = []
      for (const [i, state] of STATES.entries()) {
        n += 1
        if (state === 'PendingImport' && c.externalInPendingImport) {
          const external = await externalKeyPendingImport(h, key)
          const why = mismatch(await h.call(c.operation, c.request(f, external, n, {})), cells[i]!, external, state)
          if (why) wrong.push(why)
          continue
        }
        await putInState(h, key.keyId, 'Enabled')
        const set = (await c.setUp?.(h, f, key, n)) ?? {}
        await putInState(h, key.keyId, state)
        const res = await h.call(c.operation, c.request(f, key, n, set))
        const why = mismatch(res, cells[i]!, key, state)
        if (why) wrong.push(why)
      }
      await putInState(h, key.keyId, 'Enabled')
      assert.deepEqual(wrong, [])
    })
  }

  it('an Unavailable key stays Unavailable through EnableKey and DisableKey', async () => {
    const key = f.keys.symmetric
    for (const operation of ['EnableKey', 'DisableKey']) {
      await putInState(h, key.keyId, 'Unavailable')
      await ok(h, operation, { KeyId: key.keyId })
      assert.equal((await h.services.store.getKey(key.keyId))!.keyState, 'Unavailable', operation)
    }
    await putInState(h, key.keyId, 'Enabled')
  })

  it('covers every operation in the registry (a new operation needs its row here)', () => {
    const covered = new Set(cases.map((c) => c.operation))
    const missing = [...registry.keys()].filter((name) => !covered.has(name) && !KEYLESS.includes(name))
    assert.deepEqual(missing, [])
    for (const name of KEYLESS) assert.equal(registry.get(name as never)?.keyScoped, false, `${name} is listed as naming no key`)
  })
})
