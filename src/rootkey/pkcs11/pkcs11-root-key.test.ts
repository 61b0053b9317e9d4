// The PKCS#11 root key against a private SoftHSM2 token: the key is generated in the token once, is
// non-extractable, wraps in the in-process format with the same AAD binding, refuses what is not its own,
// fails cleanly while the token is gone and recovers when it returns.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createTestToken, SOFTHSM_MODULE, softHsmMissing, type TestToken } from '../../../test/support/softhsm.js'
import { KeyWrapError, unwrapKeyMaterial } from '../../crypto/key-wrap.js'
import { readBlobLabel } from '../labelled-blob.js'
import { inProcessRootKey, RootKeyUnavailableError } from '../root-key.js'
import type { Pkcs11Config } from './pkcs11-config.js'
import { pkcs11js, pkcs11Module } from './pkcs11-module.js'
import { openPkcs11RootKey } from './pkcs11-root-key.js'

const skip = softHsmMissing()

/** A logged-in read-write session of the test's own on the token (as an administrator's tool would have). */
function adminSession(token: TestToken): { m: ReturnType<typeof pkcs11Module>; session: Buffer } {
  const m = pkcs11Module(SOFTHSM_MODULE)
  const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === token.tokenLabel)!
  const session = m.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
  try {
    m.C_Login(session, pkcs11js.CKU_USER, token.pin)
  } catch (e) {
    if (!(e instanceof pkcs11js.Pkcs11Error && e.code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN)) throw e
  }
  return { m, session }
}
const aad = new TextEncoder().encode('trent/test-aad')

describe('PKCS#11 root key (SoftHSM2)', { skip }, () => {
  let token: TestToken
  let config: (keyLabel: string) => Pkcs11Config

  before(() => {
    token = createTestToken()
    // The module reads SOFTHSM2_CONF once, at C_Initialize: set before the first open in this process.
    process.env.SOFTHSM2_CONF = token.env().SOFTHSM2_CONF
    config = (keyLabel) => ({ module: SOFTHSM_MODULE, tokenLabel: token.tokenLabel, pin: token.pin, keyLabel })
  })
  after(() => token.cleanup())

  it('generates the key in the token on first use and finds the same key afterwards', async () => {
    const first = await openPkcs11RootKey(config('k-create'))
    const again = await openPkcs11RootKey(config('k-create'))
    assert.match(first.id, /^p11:[0-9a-f]{16}$/)
    assert.equal(again.id, first.id)
    const other = await openPkcs11RootKey(config('k-other'))
    assert.notEqual(other.id, first.id)
    const material = randomBytes(32)
    assert.deepEqual(await again.unwrap(await first.wrap(material, aad), aad), new Uint8Array(material))
    await Promise.all([first.close(), again.close(), other.close()])
  })

  it('keeps the key sensitive and non-extractable: the token refuses to reveal its value', async () => {
    const rootKey = await openPkcs11RootKey(config('k-extract'))
    const { m, session } = adminSession(token)
    try {
      m.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: 'k-extract' }])
      const [key] = m.C_FindObjects(session, 2)
      m.C_FindObjectsFinal(session)
      assert.ok(key)
      assert.throws(() => m.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }]), /CKR_ATTRIBUTE_SENSITIVE/)
      const [extractable, sensitive] = m.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_EXTRACTABLE }, { type: pkcs11js.CKA_SENSITIVE }])
      assert.deepEqual([extractable!.value, sensitive!.value], [Buffer.of(0), Buffer.of(1)])
    } finally {
      m.C_CloseSession(session)
      await rootKey.close()
    }
  })

  it('writes the in-process inner format with the same AAD binding (a known key imported into the token opens with node:crypto)', async () => {
    const known = randomBytes(32)
    const { m, session } = adminSession(token)
    try {
      m.C_CreateObject(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE, value: known }, { type: pkcs11js.CKA_LABEL, value: 'k-known' }, { type: pkcs11js.CKA_ID, value: Buffer.from('00aa', 'hex') },
        { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false }, { type: pkcs11js.CKA_ENCRYPT, value: true }, { type: pkcs11js.CKA_DECRYPT, value: true },
      ])
    } finally {
      m.C_CloseSession(session)
    }
    const rootKey = await openPkcs11RootKey(config('k-known'))
    assert.equal(rootKey.id, 'p11:00aa')
    const material = randomBytes(32)
    const blob = await rootKey.wrap(material, aad)
    const { rootKeyId, inner } = readBlobLabel(blob)
    assert.equal(rootKeyId, 'p11:00aa')
    assert.equal(inner.length, 1 + 12 + 32 + 16)
    assert.deepEqual(unwrapKeyMaterial(known, inner, aad), new Uint8Array(material))
    assert.throws(() => unwrapKeyMaterial(known, inner, new TextEncoder().encode('other')), KeyWrapError)
    await rootKey.close()
  })

  it('refuses a different AAD, every bit flip, another root key\'s blob and an unlabelled blob with KeyWrapError', async () => {
    const rootKey = await openPkcs11RootKey(config('k-refuse'))
    const other = await openPkcs11RootKey(config('k-refuse-other'))
    const material = randomBytes(32)
    const blob = await rootKey.wrap(material, aad)
    await assert.rejects(rootKey.unwrap(blob, new TextEncoder().encode('trent/other-aad')), KeyWrapError)
    const labelLength = 2 + blob[1]!
    for (let bit = labelLength * 8; bit < blob.length * 8; bit += 7) {
      const bad = new Uint8Array(blob)
      bad[bit >> 3]! ^= 1 << (bit & 7)
      await assert.rejects(rootKey.unwrap(bad, aad), KeyWrapError, `bit ${bit}`)
    }
    await assert.rejects(other.unwrap(blob, aad), KeyWrapError)
    await assert.rejects(rootKey.unwrap(readBlobLabel(blob).inner, aad), KeyWrapError)
    const inProcess = inProcessRootKey(randomBytes(32), 'test')
    await assert.rejects(rootKey.unwrap(await inProcess.wrap(material, aad), aad), KeyWrapError)
    assert.deepEqual(await rootKey.unwrap(blob, aad), new Uint8Array(material))
    await Promise.all([rootKey.close(), other.close()])
  })

  it('fails with RootKeyUnavailableError while the token is gone, and recovers when it returns', async () => {
    const rootKey = await openPkcs11RootKey(config('k-outage'))
    const material = randomBytes(32)
    const blob = await rootKey.wrap(material, aad)
    token.remove()
    try {
      await assert.rejects(rootKey.unwrap(blob, aad), RootKeyUnavailableError)
      await assert.rejects(rootKey.wrap(material, aad), RootKeyUnavailableError)
      await assert.rejects(rootKey.probe(), RootKeyUnavailableError)
    } finally {
      token.restore()
    }
    await rootKey.probe()
    assert.deepEqual(await rootKey.unwrap(blob, aad), new Uint8Array(material))
    assert.deepEqual(await rootKey.unwrap(await rootKey.wrap(material, aad), aad), new Uint8Array(material))
    await rootKey.close()
  })

  it('opens a token that is out of sight for a moment at start-up, as when another process logs in to SoftHSM2 just then', async () => {
    const first = await openPkcs11RootKey(config('k-late'))
    await first.close()
    token.remove()
    let opened: Promise<Awaited<ReturnType<typeof openPkcs11RootKey>>>
    try {
      opened = openPkcs11RootKey(config('k-late'), { create: false })
      await new Promise((resolve) => setTimeout(resolve, 300))
    } finally {
      token.restore()
    }
    const again = await opened
    assert.equal(again.id, first.id)
    await again.close()
  })

  it('refuses a wrong PIN without echoing it', async () => {
    await assert.rejects(openPkcs11RootKey({ ...config('k-pin'), pin: '999999' }), (e: unknown) => {
      assert.ok(e instanceof Error)
      assert.match(e.message, /login refused/)
      assert.ok(!e.message.includes('999999'))
      return true
    })
  })

  it('refuses an extractable key under the label', async () => {
    const { m, session } = adminSession(token)
    try {
      m.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 }, { type: pkcs11js.CKA_LABEL, value: 'k-weak' }, { type: pkcs11js.CKA_ID, value: Buffer.of(1) },
        { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: false },
        { type: pkcs11js.CKA_EXTRACTABLE, value: true }, { type: pkcs11js.CKA_ENCRYPT, value: true }, { type: pkcs11js.CKA_DECRYPT, value: true },
      ])
    } finally {
      m.C_CloseSession(session)
    }
    await assert.rejects(openPkcs11RootKey(config('k-weak')), /sensitive, non-extractable AES-256/)
  })

  it('refuses to open when several keys carry the label, naming the problem', async () => {
    const first = await openPkcs11RootKey(config('k-twice'))
    await first.close()
    const { m, session } = adminSession(token)
    try {
      m.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 }, { type: pkcs11js.CKA_LABEL, value: 'k-twice' }, { type: pkcs11js.CKA_ID, value: Buffer.of(2) },
        { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false }, { type: pkcs11js.CKA_ENCRYPT, value: true }, { type: pkcs11js.CKA_DECRYPT, value: true },
      ])
    } finally {
      m.C_CloseSession(session)
    }
    await assert.rejects(openPkcs11RootKey(config('k-twice')), /2 keys carry this label/)
    await assert.rejects(openPkcs11RootKey(config('k-twice'), { create: true }), /2 keys carry this label/)
  })

  it('generates no key when creating is not allowed (a data folder that already holds a database)', async () => {
    await assert.rejects(openPkcs11RootKey(config('k-absent'), { create: false }), /no key has this label.*no new key was generated/s)
    const { m, session } = adminSession(token)
    try {
      m.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: 'k-absent' }])
      const found = m.C_FindObjects(session, 2)
      m.C_FindObjectsFinal(session)
      assert.equal(found.length, 0, 'a key was generated although creating was not allowed')
    } finally {
      m.C_CloseSession(session)
    }
    const created = await openPkcs11RootKey(config('k-absent'), { create: true })
    const reopened = await openPkcs11RootKey(config('k-absent'), { create: false })
    assert.equal(reopened.id, created.id)
    await Promise.all([created.close(), reopened.close()])
  })
})
