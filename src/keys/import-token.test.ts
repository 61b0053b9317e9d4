// The import token alone: what it binds (key id, wrapping key spec and algorithm, expiry), that it opens until
// exactly its ParametersValidTo, and that no other root-key blob passes for it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inProcessRootKey } from '../rootkey/root-key.js'
import { IMPORT_TOKEN_LIFETIME_MS, ImportTokenError, openImportToken, sealImportToken, type SecretSealer } from './import-token.js'

const rootKey = inProcessRootKey(new Uint8Array(32).fill(3), 'test')
const sealer: SecretSealer = { sealSecret: (s, aad) => rootKey.wrap(s, aad), openSecret: (b, aad) => rootKey.unwrap(b, aad) }
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab'
const issued = new Date('2026-01-15T10:00:00.000Z')
const validTo = new Date(issued.getTime() + IMPORT_TOKEN_LIFETIME_MS)
const contents = { keyId: KEY_ID, wrappingKeySpec: 'RSA_3072', wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1', validTo } as const
const privateKey = () => new Uint8Array(100).map((_, i) => i)

async function refusal(token: Uint8Array, keyId = KEY_ID, now = issued): Promise<string> {
  const e = await openImportToken(sealer, token, keyId, now).then(() => undefined, (err: unknown) => err)
  assert.ok(e instanceof ImportTokenError, String(e))
  return e.reason
}

describe('import token', () => {
  it('opens for its key until one millisecond before ParametersValidTo, giving back what it was sealed with', async () => {
    const token = await sealImportToken(sealer, contents, privateKey())
    const opened = await openImportToken(sealer, token, KEY_ID, new Date(validTo.getTime() - 1))
    assert.deepEqual({ ...opened, privateKey: [...opened.privateKey] }, { ...contents, privateKey: [...privateKey()] })
    assert.equal(await refusal(token, KEY_ID, validTo), 'expired')
    assert.equal(await refusal(token, KEY_ID, new Date(validTo.getTime() + 365 * 86_400_000)), 'expired')
  })

  it('is invalid for another key, with any header or sealed byte changed, truncated, or of another format', async () => {
    const token = await sealImportToken(sealer, contents, privateKey())
    assert.equal(await refusal(token, '1234abcd-12ab-34cd-56ef-1234567890ac'), 'invalid')
    for (const i of [0, 1, 2, 3, 10, 11, token.length - 1]) {
      const altered = new Uint8Array(token)
      altered[i]! ^= 0x01
      assert.equal(await refusal(altered), 'invalid', `byte ${i}`)
    }
    assert.equal(await refusal(token.subarray(0, 11)), 'invalid')
    assert.equal(await refusal(new Uint8Array(0)), 'invalid')
  })

  it('an expired token that was altered is reported invalid, not expired: authenticity first', async () => {
    const token = await sealImportToken(sealer, contents, privateKey())
    token[token.length - 2]! ^= 0x80
    assert.equal(await refusal(token, KEY_ID, validTo), 'invalid')
  })

  it('wrapped key material under the same root key is never an import token', async () => {
    const material = await rootKey.wrap(privateKey(), new TextEncoder().encode('trent/key-material'))
    const header = (await sealImportToken(sealer, contents, privateKey())).subarray(0, 11)
    const forged = new Uint8Array(header.length + material.length)
    forged.set(header)
    forged.set(material, header.length)
    assert.equal(await refusal(forged), 'invalid')
  })
})
