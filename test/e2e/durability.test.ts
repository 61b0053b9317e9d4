// Acknowledged work survives kill -9, every acknowledged call is audited, and no plaintext, root key or
// secret ever reaches the database files or the logs.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { kmsClient } from './support/clients.js'
import { auditRows, databaseContents } from './support/database.js'
import { cleanupTrent, startTrent, type TrentProcess, useFileRootKey } from './support/server.js'

// The file root key, even under TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11: it scans the disk for the root.key bytes.
useFileRootKey()

const T = { timeout: 120_000 }
const PRINTED = /AWS_ACCESS_KEY_ID=(\S+)\n {2}AWS_SECRET_ACCESS_KEY=(\S+)\n/

after(cleanupTrent, T)

/** Raw bytes plus the text forms a leak would most likely take (base64 in JSON, hex in logs). */
function forms(secret: Buffer): Buffer[] {
  return [secret, Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('hex'))]
}

async function credentialsOf(server: TrentProcess) {
  await server.waitForOutput('stdout', PRINTED)
  const [, accessKeyId, secretAccessKey] = PRINTED.exec(server.stdout())!
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! }
}

test('after kill -9, acknowledged keys, ciphertexts and audit records are all there, and nothing secret is on disk', T, async () => {
  const first = await startTrent({ bootstrap: 'generated' })
  const credentials = await credentialsOf(first)
  const kms = kmsClient(first.url, { credentials })
  const created = await kms.createKey({ Description: 'durable' })
  const keyId = created.KeyMetadata!.KeyId!
  const secretText = randomBytes(48)
  const sealed = await kms.encrypt({ KeyId: keyId, Plaintext: secretText, EncryptionContext: { case: 'kill-9' } })
  const dataKey = await kms.generateDataKey({ KeyId: keyId, KeySpec: 'AES_256' })
  const acknowledged = [
    { id: created.$metadata.requestId, name: 'CreateKey' },
    { id: sealed.$metadata.requestId, name: 'Encrypt' },
    { id: dataKey.$metadata.requestId, name: 'GenerateDataKey' },
  ]
  // No clean shutdown: whatever the server acknowledged must already be on disk.
  assert.deepEqual(await first.kill9(), { code: null, signal: 'SIGKILL' })
  kms.destroy()

  // What an attacker with the database sees (SQLite: the files and their WAL; PostgreSQL: every row).
  const onDisk = await databaseContents(first.dataDir)
  assert.ok(onDisk.includes(Buffer.from(keyId)), 'control: the key id is found, so the search reads the recent writes')
  const rootKey = Buffer.from(readFileSync(join(first.dataDir, 'root.key'), 'utf8').trim(), 'base64')
  assert.equal(rootKey.length, 32)
  const secrets: [string, Buffer][] = [
    ['the data key plaintext', Buffer.from(dataKey.Plaintext!)], ['the Encrypt plaintext', secretText], ['the root key', rootKey],
  ]
  for (const [what, secret] of secrets) for (const form of forms(secret)) assert.equal(onDisk.includes(form), false, `${what} is in the database files`)
  assert.equal(onDisk.includes(Buffer.from(credentials.secretAccessKey)), false, 'the secret access key is in the database files')

  const rows = await auditRows(first.dataDir)
  for (const call of acknowledged) {
    const matching = rows.filter((r) => (JSON.parse(r.record_json) as { requestID?: string }).requestID === call.id)
    assert.equal(matching.length, 1, `one audit record for ${call.name} ${call.id}`)
    assert.equal(matching[0]!.event_name, call.name)
    assert.equal((JSON.parse(matching[0]!.record_json) as { errorCode?: string }).errorCode, undefined)
  }

  const second = await startTrent({ dataDir: first.dataDir, bootstrap: 'generated' })
  const again = kmsClient(second.url, { credentials })
  assert.equal((await again.describeKey({ KeyId: keyId })).KeyMetadata!.Description, 'durable')
  const opened = await again.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { case: 'kill-9' } })
  assert.deepEqual(Buffer.from(opened.Plaintext!), secretText)
  const reopened = await again.decrypt({ CiphertextBlob: dataKey.CiphertextBlob })
  assert.deepEqual(Buffer.from(reopened.Plaintext!), Buffer.from(dataKey.Plaintext!))
  again.destroy()
  await second.stop()

  const afterRestart = await databaseContents(first.dataDir)
  for (const [what, secret] of secrets) for (const form of forms(secret)) assert.equal(afterRestart.includes(form), false, `${what} is in the database files`)
  assert.equal(occurrences(first.stdout(), credentials.secretAccessKey), 1, 'printed exactly once, on the first start')
  for (const output of [first.stderr(), second.stdout(), second.stderr()]) {
    assert.equal(output.includes(credentials.secretAccessKey), false)
    for (const [, secret] of secrets) for (const form of forms(secret).slice(1)) assert.equal(output.includes(form.toString()), false)
  }
})

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1
}

test('a burst of concurrent writes acknowledged before kill -9 is all there after restart', T, async () => {
  const first = await startTrent()
  const kms = kmsClient(first.url)
  const created = await Promise.all(Array.from({ length: 20 }, (_, i) => kms.createKey({ Description: `burst-${i}` })))
  await first.kill9()
  kms.destroy()
  const second = await startTrent({ dataDir: first.dataDir })
  const again = kmsClient(second.url)
  const listed = new Set((await again.listKeys({})).Keys!.map((k) => k.KeyId))
  for (const c of created) assert.ok(listed.has(c.KeyMetadata!.KeyId), `${c.KeyMetadata!.Description} survived`)
  const createAudits = (await auditRows(first.dataDir)).filter((r) => r.event_name === 'CreateKey')
  assert.equal(createAudits.length, 20)
  again.destroy()
  await second.stop()
})
