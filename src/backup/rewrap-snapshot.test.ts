// A backup made mid root-key migration holds every secret under the current root key: rows still wrapped by
// the previous key are rewrapped (same plaintext, same AAD), rows already under the current key are untouched.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { secretAad, sessionSecretAad } from '../auth/credentials.js'
import { materialAad } from '../keys/material-binding.js'
import { rootKeyFromBase64 } from '../rootkey/env-root-key.js'
import { blobRootKeyId } from '../rootkey/labelled-blob.js'
import { rootKeyChain } from '../rootkey/root-key-chain.js'
import { CHECK_AAD, CHECK_SETTING } from '../rootkey/root-key-check.js'
import type { SnapshotChunk } from '../store/snapshot.js'
import { underOneRootKey } from './rewrap-snapshot.js'

async function* from(chunks: SnapshotChunk[]): AsyncGenerator<SnapshotChunk> {
  yield* chunks
}

test('underOneRootKey() rewraps secrets of the previous root key under the current one and leaves the rest', async () => {
  const previous = rootKeyFromBase64(randomBytes(32).toString('base64'), 'previous')
  const current = rootKeyFromBase64(randomBytes(32).toString('base64'), 'current')
  const chain = rootKeyChain(current, [previous])
  const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab'
  const binding = { keyId, version: 1, keySpec: 'SYMMETRIC_DEFAULT' as const, keyUsage: 'ENCRYPT_DECRYPT' as const }
  const material = randomBytes(32)
  const secret = randomBytes(40)
  const check = randomBytes(32)
  const oldVersion = await previous.wrap(material, materialAad(2, binding))
  const newVersion = await current.wrap(material, materialAad(2, { ...binding, version: 2 }))
  const chunks: SnapshotChunk[] = [
    { table: 'settings', columns: ['name', 'value'], rows: [[CHECK_SETTING, Buffer.from(await previous.wrap(check, CHECK_AAD)).toString('base64')], ['default-account', '111122223333']] },
    { table: 'access_keys', columns: ['access_key_id', 'wrapped_secret'], rows: [['AKIAEXAMPLE', await previous.wrap(secret, secretAad('AKIAEXAMPLE'))]] },
    { table: 'keys', columns: ['key_id', 'key_spec', 'key_usage'], rows: [[keyId, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT']] },
    { table: 'key_versions', columns: ['key_id', 'version', 'wrapped_material', 'wrap_format'], rows: [[keyId, 1, oldVersion, 2], [keyId, 2, newVersion, 2], [keyId, 3, new Uint8Array(0), 2]] },
    { table: 'role_sessions', columns: ['access_key_id', 'wrapped_secret'], rows: [['ASIAEXAMPLE', await previous.wrap(secret, sessionSecretAad('ASIAEXAMPLE'))]] },
  ]
  const out: SnapshotChunk[] = []
  for await (const chunk of underOneRootKey(from(chunks), chain)) out.push(chunk)
  const [settings, accessKeys, keys, versions, sessions] = out as [SnapshotChunk, SnapshotChunk, SnapshotChunk, SnapshotChunk, SnapshotChunk]

  const checkBlob = new Uint8Array(Buffer.from(settings.rows[0]![1] as string, 'base64'))
  assert.equal(blobRootKeyId(checkBlob), current.id)
  assert.deepEqual(await current.unwrap(checkBlob, CHECK_AAD), new Uint8Array(check))
  assert.deepEqual(settings.rows[1], ['default-account', '111122223333'])
  assert.deepEqual(await current.unwrap(accessKeys.rows[0]![1] as Uint8Array, secretAad('AKIAEXAMPLE')), new Uint8Array(secret))
  assert.deepEqual(await current.unwrap(sessions.rows[0]![1] as Uint8Array, sessionSecretAad('ASIAEXAMPLE')), new Uint8Array(secret))
  assert.deepEqual(keys, chunks[2])
  const v1 = versions.rows[0]![2] as Uint8Array
  assert.equal(blobRootKeyId(v1), current.id)
  assert.deepEqual(await current.unwrap(v1, materialAad(2, binding)), new Uint8Array(material))
  assert.equal(versions.rows[1]![2], newVersion, 'a version already under the current key was rewritten')
  assert.equal((versions.rows[2]![2] as Uint8Array).length, 0, 'deleted material stays empty')
  // The source chunks were not modified in place.
  assert.equal(chunks[3]!.rows[0]![2], oldVersion)
})
