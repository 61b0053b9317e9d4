// DryRun on every served operation whose model input has it: a valid request answers DryRunOperationException
// and changes nothing (no grant made or ended, no use of the key recorded). The list comes from the model, so
// an operation that gains DryRun, or a newly served one that has it, fails here until it has a case.
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_ACCOUNT, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'
import { wireModel } from '../wire/model.generated.js'
import { registry } from './registry.js'

const DRY_RUN_MESSAGE = 'The request would have succeeded, but the DryRun option is set.'
const ROOT = `arn:aws:iam::${TEST_ACCOUNT}:root`

interface Fixture { sym: TestKey; sign: TestKey; hmac: TestKey; agree: TestKey; blob: string; signature: string; mac: string; peer: string; grantId: string }

const requests: Record<string, (f: Fixture) => Record<string, unknown>> = {
  Encrypt: (f) => ({ KeyId: f.sym.keyId, Plaintext: b64('x') }),
  Decrypt: (f) => ({ CiphertextBlob: f.blob }),
  ReEncrypt: (f) => ({ CiphertextBlob: f.blob, DestinationKeyId: f.sym.keyId }),
  GenerateDataKey: (f) => ({ KeyId: f.sym.keyId, KeySpec: 'AES_256' }),
  GenerateDataKeyWithoutPlaintext: (f) => ({ KeyId: f.sym.keyId, KeySpec: 'AES_128' }),
  GenerateDataKeyPair: (f) => ({ KeyId: f.sym.keyId, KeyPairSpec: 'ECC_NIST_P256' }),
  GenerateDataKeyPairWithoutPlaintext: (f) => ({ KeyId: f.sym.keyId, KeyPairSpec: 'ECC_NIST_P256' }),
  Sign: (f) => ({ KeyId: f.sign.keyId, Message: b64('m'), SigningAlgorithm: 'ECDSA_SHA_256' }),
  Verify: (f) => ({ KeyId: f.sign.keyId, Message: b64('m'), SigningAlgorithm: 'ECDSA_SHA_256', Signature: f.signature }),
  GenerateMac: (f) => ({ KeyId: f.hmac.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256' }),
  VerifyMac: (f) => ({ KeyId: f.hmac.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256', Mac: f.mac }),
  DeriveSharedSecret: (f) => ({ KeyId: f.agree.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: f.peer }),
  CreateGrant: (f) => ({ KeyId: f.sym.keyId, GranteePrincipal: ROOT, Operations: ['Decrypt'] }),
  RetireGrant: (f) => ({ KeyId: f.sym.arn, GrantId: f.grantId }),
  RevokeGrant: (f) => ({ KeyId: f.sym.keyId, GrantId: f.grantId }),
}

/** Served operations whose request shape has a DryRun member, from the model. */
function servedWithDryRun(): string[] {
  return [...registry.keys()].filter((name) => {
    const input = wireModel.shapes[wireModel.operations[name]!.input ?? '']
    return input?.type === 'structure' && 'DryRun' in input.members
  })
}

describe('DryRun on every served operation that has it', () => {
  let h: Harness
  let f: Fixture
  before(async () => {
    h = await createHarness({ lastUseFlushMs: 3_600_000 })
    const sym = await createKey(h)
    const sign = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    const hmac = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    const agree = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' })
    f = {
      sym, sign, hmac, agree,
      blob: String((await ok(h, 'Encrypt', { KeyId: sym.keyId, Plaintext: b64('x') })).CiphertextBlob),
      signature: String((await ok(h, 'Sign', { KeyId: sign.keyId, Message: b64('m'), SigningAlgorithm: 'ECDSA_SHA_256' })).Signature),
      mac: String((await ok(h, 'GenerateMac', { KeyId: hmac.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256' })).Mac),
      peer: b64(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' })),
      grantId: String((await ok(h, 'CreateGrant', { KeyId: sym.keyId, GranteePrincipal: ROOT, Operations: ['Encrypt'] })).GrantId),
    }
  })
  after(() => h.close())

  it('has a case for each of them (the list is the model\'s, not typed here)', () => {
    assert.deepEqual(servedWithDryRun().filter((name) => requests[name] === undefined), [])
    assert.ok(servedWithDryRun().length >= Object.keys(requests).length)
  })

  it('answers DryRunOperationException to each, and leaves grants and key last uses as they were', async () => {
    const keys = [f.sym, f.sign, f.hmac, f.agree]
    h.clock.advance(60_000)
    const usesBefore = await Promise.all(keys.map((k) => ok(h, 'GetKeyLastUsage', { KeyId: k.keyId })))
    const grantsBefore = await ok(h, 'ListGrants', { KeyId: f.sym.keyId })
    for (const name of servedWithDryRun()) {
      h.clock.advance(1000)
      assertAwsError(await h.call(name, { ...requests[name]!(f), DryRun: true }), 'DryRunOperationException', DRY_RUN_MESSAGE)
    }
    assert.deepEqual(await ok(h, 'ListGrants', { KeyId: f.sym.keyId }), grantsBefore)
    assert.deepEqual(await Promise.all(keys.map((k) => ok(h, 'GetKeyLastUsage', { KeyId: k.keyId }))), usesBefore)
  })

  it('is refused before the dry run answers when the call itself would fail (a disabled key)', async () => {
    await ok(h, 'DisableKey', { KeyId: f.sym.keyId })
    try {
      assertAwsError(await h.call('Encrypt', { ...requests.Encrypt!(f), DryRun: true }), 'DisabledException', `${f.sym.arn} is disabled.`)
    } finally {
      await ok(h, 'EnableKey', { KeyId: f.sym.keyId })
    }
  })
})
