// Red team: the PKCS#11 root key fixes its id (p11:<CKA_ID>) when it is opened, but every reconnect after a token
// fault looks the key up again by label and takes the lowest CKA_ID. Once a second key with that label exists (two
// first starts racing, where the earlier process has already settled on the higher id; or an administrator's key
// imported under the same label), a running server silently switches keys at its next reconnect: it keeps labelling
// blobs with the old id, but seals them under the other key, and can no longer open what it wrapped before.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createTestToken, SOFTHSM_MODULE, softHsmMissing, type TestToken } from '../../../test/support/softhsm.js'
import { RootKeyUnavailableError } from '../root-key.js'
import { pkcs11js, pkcs11Module } from './pkcs11-module.js'
import { openPkcs11RootKey } from './pkcs11-root-key.js'

const skip = softHsmMissing()
const aad = new TextEncoder().encode('trent/test-aad')

/** Creates an AES-256 key under `label` with CKA_ID `id`, as an administrator's tool (or a racing first start) would. */
function addKeyWithLabel(token: TestToken, label: string, id: Buffer): void {
  const m = pkcs11Module(SOFTHSM_MODULE)
  const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === token.tokenLabel)!
  const session = m.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
  try {
    try {
      m.C_Login(session, pkcs11js.CKU_USER, token.pin)
    } catch (e) {
      if (!(e instanceof pkcs11js.Pkcs11Error && e.code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN)) throw e
    }
    m.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE, value: randomBytes(32) }, { type: pkcs11js.CKA_LABEL, value: label }, { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false }, { type: pkcs11js.CKA_ENCRYPT, value: true }, { type: pkcs11js.CKA_DECRYPT, value: true },
    ])
  } finally {
    m.C_CloseSession(session)
  }
}

describe('PKCS#11 root key across a reconnect', { skip }, () => {
  let token: TestToken
  before(() => {
    token = createTestToken('trent-redteam')
    process.env.SOFTHSM2_CONF = token.env().SOFTHSM2_CONF
  })
  after(() => token.cleanup())

  it('keeps using the key its id names after a token fault, even when another key has the same label', async () => {
    const config = { module: SOFTHSM_MODULE, tokenLabel: token.tokenLabel, pin: token.pin, keyLabel: 'k-switch' }
    const rootKey = await openPkcs11RootKey(config)
    const material = randomBytes(32)
    const before = await rootKey.wrap(material, aad)
    // A second key under the same label, with a CKA_ID lower than any 8 random bytes can be.
    addKeyWithLabel(token, 'k-switch', Buffer.alloc(8))
    token.remove()
    try {
      await assert.rejects(rootKey.probe(), RootKeyUnavailableError)
    } finally {
      token.restore()
    }
    await rootKey.probe() // reconnected
    assert.deepEqual(await rootKey.unwrap(before, aad), new Uint8Array(material), 'the root key can no longer open what it wrapped before the reconnect')
    await rootKey.close()
  })
})
