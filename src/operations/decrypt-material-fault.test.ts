// Stored key material that will not unwrap under the root key is a server fault, not a bad ciphertext.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Keyring } from '../keys/keyring.js'
import { inProcessRootKey } from '../rootkey/root-key.js'
import { TEST_CREDENTIALS, b64, createHarness, signedDispatch, type Harness } from '../../test/support/harness.js'
import { createKey, type TestKey } from '../../test/support/kms-fixtures.js'

describe('Decrypt when stored material cannot be unwrapped', () => {
  let h: Harness
  let key: TestKey
  before(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  after(() => h.close())

  it('answers 500 KMSInternalException and logs the fault, rather than blaming the ciphertext', async () => {
    const enc = await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })
    assert.equal(enc.status, 200)
    // Same store and credentials, but material is unwrapped under a different root key (a swapped key file).
    const services = { ...h.services, keyring: new Keyring(inProcessRootKey(new Uint8Array(32).fill(9), 'other'), h.services.store) }
    const res = await signedDispatch(services, {
      service: 'kms', target: 'TrentService.Decrypt', body: new TextEncoder().encode(JSON.stringify({ CiphertextBlob: enc.body.CiphertextBlob })),
      credentials: TEST_CREDENTIALS, now: h.clock.now(), requestId: 'fault-1',
    })
    assert.equal(res.status, 500)
    assert.equal(res.body.__type, 'KMSInternalException')
    assert.ok(h.logs.lines.some((l) => l.level === 'error' && JSON.stringify(l.fields).includes('fault-1')))
  })
})
