// Key material is bound to what it is, through the real server: a key_versions row whose key turns into
// another key type in the database does not serve its material as that type; a data folder written by the
// previous version is rewrapped at start-up and keeps working; material ids are stable and not MACs.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { kmsClient } from './support/clients.js'
import { cleanupTrent, startTrent, useFileRootKey } from './support/server.js'
import { rewriteAsPreviousCode } from '../support/legacy-material.js'

// The file root key, even under TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11: its fixtures rewrite rows with the raw root.key bytes.
useFileRootKey()

const T = { timeout: 120_000 }
after(cleanupTrent, T)

function withDb<R>(dataDir: string, use: (db: Database.Database) => R): R {
  const db = new Database(join(dataDir, 'trent.db'))
  try {
    return use(db)
  } finally {
    db.close()
  }
}

const rootKeyOf = (dataDir: string) => new Uint8Array(Buffer.from(readFileSync(join(dataDir, 'root.key'), 'utf8').trim(), 'base64'))

test('key material is bound to its key spec and usage: a symmetric key flipped to HMAC_256 in the database gives no MAC', T, async () => {
  let server = await startTrent()
  let kms = kmsClient(server.url)
  const keyId = (await kms.createKey({})).KeyMetadata!.KeyId!
  const sealed = await kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('bound material') })
  await server.stop()
  kms.destroy()
  const setType = (spec: string, usage: string) =>
    withDb(server.dataDir, (db) => db.prepare('UPDATE keys SET key_spec = ?, key_usage = ? WHERE key_id = ?').run(spec, usage, keyId))
  setType('HMAC_256', 'GENERATE_VERIFY_MAC')

  server = await startTrent({ dataDir: server.dataDir })
  kms = kmsClient(server.url)
  // The material will not unwrap as an HMAC key: a server fault with AWS's fixed internal-error wording
  // (as for any stored material that cannot be used), never a MAC and never a detail of why.
  const err = await kms.generateMac({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('x') }).then(() => undefined, (e: unknown) => e)
  assert.ok(err instanceof Error, 'GenerateMac must not succeed')
  assert.equal(err.name, 'KMSInternalException')
  assert.equal((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 500)
  assert.equal(err.message, 'The request was rejected because an internal exception occurred. The request can be retried.')
  await server.stop()
  kms.destroy()

  setType('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')
  server = await startTrent({ dataDir: server.dataDir })
  kms = kmsClient(server.url)
  const opened = await kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob! })
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'bound material')
  await server.stop()
  kms.destroy()
})

test('a data folder in the previous wrap format is rewrapped at start-up: ciphertexts decrypt, ids kept, HMAC ids replaced', T, async () => {
  let server = await startTrent()
  let kms = kmsClient(server.url)
  const symmetric = (await kms.createKey({})).KeyMetadata!.KeyId!
  const hmac = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata!.KeyId!
  const sealed = await kms.encrypt({ KeyId: symmetric, Plaintext: Buffer.from('from before') })
  const mac = await kms.generateMac({ KeyId: hmac, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') })
  await server.stop()
  kms.destroy()
  const legacyIds = withDb(server.dataDir, (db) => rewriteAsPreviousCode(db, rootKeyOf(server.dataDir)))

  server = await startTrent({ dataDir: server.dataDir })
  kms = kmsClient(server.url)
  const rows = () => withDb(server.dataDir, (db) =>
    db.prepare('SELECT key_id, wrap_format, material_id FROM key_versions').all() as { key_id: string; wrap_format: number; material_id: string }[])
  assert.deepEqual(rows().map((r) => r.wrap_format), [2, 2])
  const opened = await kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob! })
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'from before')
  assert.equal(opened.KeyMaterialId, legacyIds.get(`${symmetric}/1`))
  assert.equal((await kms.describeKey({ KeyId: symmetric })).KeyMetadata!.CurrentKeyMaterialId, legacyIds.get(`${symmetric}/1`))
  assert.equal((await kms.verifyMac({ KeyId: hmac, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m'), Mac: mac.Mac! })).MacValid, true)

  // The HMAC key's stored id is no longer a MAC the key would produce over the old fixed message.
  const hmacRow = rows().find((r) => r.key_id === hmac)!
  assert.notEqual(hmacRow.material_id, legacyIds.get(`${hmac}/1`))
  const oldMessage = Buffer.from(`trent/key-material-id/v1:${hmac}`)
  const forged = await kms.generateMac({ KeyId: hmac, MacAlgorithm: 'HMAC_SHA_256', Message: oldMessage })
  assert.notEqual(Buffer.from(forged.Mac!).toString('hex'), hmacRow.material_id)
  await server.stop()
  kms.destroy()

  // Stable across restarts: nothing is rewrapped or renamed again.
  const before = rows()
  server = await startTrent({ dataDir: server.dataDir })
  assert.deepEqual(rows(), before)
  await server.stop()
})

test('a new HMAC key\'s stored material id is no GenerateMac answer, and a tampered id fails the request', T, async () => {
  let server = await startTrent()
  let kms = kmsClient(server.url)
  const keyId = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata!.KeyId!
  const storedId = () => withDb(server.dataDir, (db) => (db.prepare('SELECT material_id FROM key_versions WHERE key_id = ?').get(keyId) as { material_id: string }).material_id)
  const id = storedId()
  assert.match(id, /^[0-9a-f]{64}$/)
  for (const message of [`trent/key-material-id/v1:${keyId}`, keyId, `trent/key-material-id/v2:${keyId}`]) {
    const answer = await kms.generateMac({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message) })
    assert.notEqual(Buffer.from(answer.Mac!).toString('hex'), id)
  }
  await server.stop()
  kms.destroy()
  withDb(server.dataDir, (db) => db.prepare('UPDATE key_versions SET material_id = ? WHERE key_id = ?').run(createHmac('sha256', 'x').digest('hex'), keyId))
  server = await startTrent({ dataDir: server.dataDir })
  kms = kmsClient(server.url)
  const err = await kms.generateMac({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('x') }).then(() => undefined, (e: unknown) => e)
  assert.ok(err instanceof Error && err.name === 'KMSInternalException', 'a tampered material id must not be trusted')
  assert.ok(/material id does not match/.test(server.stderr()), 'the fault is logged')
  await server.stop()
  kms.destroy()
})
