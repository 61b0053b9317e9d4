// The Debian AWS CLI v2 (/usr/bin/aws, by absolute path: another `aws` may be first on PATH) against the real server.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'

const AWS_CLI = '/usr/bin/aws'
const T = { timeout: 120_000 }
const DAY_MS = 86_400_000
const cliInstalled = existsSync(AWS_CLI)
const skipReason = cliInstalled ? false : `${AWS_CLI} is not installed (apt-get install awscli); set CI=true to make this a failure`
const run = promisify(execFile)

let server: TrentProcess
let workDir: string

before(async () => {
  if (!cliInstalled) return
  server = await startTrent()
  workDir = makeTempDir('trent-e2e-cli-')
}, T)

after(cleanupTrent, T)

/** Runs `aws kms <args>` against the server and parses its JSON output ({} when it prints nothing). */
async function awsKms(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS_CLI, ['kms', ...args, '--endpoint-url', server.url, '--output', 'json'], {
    timeout: 60_000,
    env: {
      PATH: process.env.PATH, HOME: workDir,
      AWS_ACCESS_KEY_ID: E2E_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: E2E_CREDENTIALS.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '',
    },
  })
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>)
}

test(`the Debian AWS CLI v2 is installed at ${AWS_CLI}`, T, async (t) => {
  if (!cliInstalled) {
    if (process.env.CI === 'true') assert.fail(`${AWS_CLI} is missing: the CI image must install the Debian awscli package (AWS CLI v2)`)
    t.skip(String(skipReason))
    return
  }
  const { stdout } = await run(AWS_CLI, ['--version'], { timeout: 60_000 })
  assert.match(stdout, /^aws-cli\/2\./)
})

test('aws kms create-key, create-alias, encrypt and decrypt round-trip bytes through files', { ...T, skip: skipReason }, async () => {
  const created = await awsKms('create-key', '--description', 'made by the aws cli')
  const meta = created.KeyMetadata as Record<string, unknown>
  const keyId = String(meta.KeyId)
  const arn = `arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${keyId}`
  assert.equal(meta.Arn, arn)
  assert.equal(meta.Description, 'made by the aws cli')
  assert.equal(meta.KeyState, 'Enabled')
  assert.equal(meta.KeySpec, 'SYMMETRIC_DEFAULT')

  assert.deepEqual(await awsKms('create-alias', '--alias-name', 'alias/e2e-cli', '--target-key-id', keyId), {})
  const plaintext = randomBytes(300)
  const plaintextFile = join(workDir, 'plain.bin')
  await writeFile(plaintextFile, plaintext)
  const sealed = await awsKms('encrypt', '--key-id', 'alias/e2e-cli', '--plaintext', `fileb://${plaintextFile}`, '--encryption-context', 'app=cli')
  assert.equal(sealed.KeyId, arn)
  assert.equal(sealed.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT')
  const ciphertextFile = join(workDir, 'cipher.bin')
  await writeFile(ciphertextFile, Buffer.from(String(sealed.CiphertextBlob), 'base64'))

  const opened = await awsKms('decrypt', '--ciphertext-blob', `fileb://${ciphertextFile}`, '--encryption-context', 'app=cli')
  assert.equal(opened.KeyId, arn)
  assert.deepEqual(Buffer.from(String(opened.Plaintext), 'base64'), plaintext)
})

test('aws kms generate-data-key --key-spec AES_256 gives a key that decrypt returns', { ...T, skip: skipReason }, async () => {
  const created = await awsKms('create-key')
  const keyId = String((created.KeyMetadata as Record<string, unknown>).KeyId)
  const dataKey = await awsKms('generate-data-key', '--key-id', keyId, '--key-spec', 'AES_256')
  const plaintext = Buffer.from(String(dataKey.Plaintext), 'base64')
  assert.equal(plaintext.length, 32)
  assert.equal(dataKey.KeyId, `arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${keyId}`)
  const blobFile = join(workDir, 'datakey.bin')
  await writeFile(blobFile, Buffer.from(String(dataKey.CiphertextBlob), 'base64'))
  const opened = await awsKms('decrypt', '--ciphertext-blob', `fileb://${blobFile}`)
  assert.deepEqual(Buffer.from(String(opened.Plaintext), 'base64'), plaintext)
})

test('aws kms list-keys lists the keys; schedule-key-deletion --pending-window-in-days 7 schedules one', { ...T, skip: skipReason }, async () => {
  const created = await awsKms('create-key', '--description', 'to delete')
  const keyId = String((created.KeyMetadata as Record<string, unknown>).KeyId)
  const arn = `arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${keyId}`
  const listed = await awsKms('list-keys')
  assert.ok((listed.Keys as { KeyId: string; KeyArn: string }[]).some((k) => k.KeyId === keyId && k.KeyArn === arn))
  // --page-size 1 makes the CLI follow NextMarker once per key; it must assemble the same list.
  const paged = await awsKms('list-keys', '--page-size', '1')
  assert.deepEqual(paged.Keys, listed.Keys)
  assert.ok((listed.Keys as unknown[]).length >= 3)

  const before = Date.now()
  const scheduled = await awsKms('schedule-key-deletion', '--key-id', keyId, '--pending-window-in-days', '7')
  assert.equal(scheduled.KeyId, arn)
  assert.equal(scheduled.KeyState, 'PendingDeletion')
  assert.equal(scheduled.PendingWindowInDays, 7)
  const due = new Date(String(scheduled.DeletionDate)).getTime()
  assert.ok(due >= before + 7 * DAY_MS - 60_000 && due <= Date.now() + 7 * DAY_MS + 60_000, `DeletionDate ${String(scheduled.DeletionDate)}`)
})

test('an AWS CLI error names the exception and exits non-zero', { ...T, skip: skipReason }, async () => {
  await assert.rejects(awsKms('describe-key', '--key-id', '00000000-1111-2222-3333-444444444444'), (err: { code?: number; stderr?: string }) => {
    assert.equal(err.code, 254)
    assert.match(String(err.stderr), /An error occurred \(NotFoundException\) when calling the DescribeKey operation: Key 'arn:aws:kms:us-east-1:111122223333:key\/00000000-1111-2222-3333-444444444444' does not exist/)
    return true
  })
})
