// The library API (`import … from 'trent'`) against the real server, and the two examples in examples/
// run as an application would run them: their compiled output, with only the standard AWS environment.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createEnvelope, decrypt, encrypt, EnvelopeError, type Envelope } from 'trent'
import { kmsClient } from './support/clients.js'
import { awsEnv } from './support/envelope-cli.js'
import { E2E_CREDENTIALS, cleanupTrent, makeTempDir, startTrent } from './support/server.js'

const T = { timeout: 120_000 }
const run = promisify(execFile)
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url))

let url: string
let keyArn: string
let otherArn: string
let envelope: Envelope

before(async () => {
  const server = await startTrent()
  url = server.url
  const kms = kmsClient(url)
  keyArn = (await kms.createKey({ Description: 'library' })).KeyMetadata!.Arn!
  otherArn = (await kms.createKey({ Description: 'other' })).KeyMetadata!.Arn!
  await kms.createAlias({ AliasName: 'alias/customer-data', TargetKeyId: keyArn })
  await kms.createAlias({ AliasName: 'alias/billing-app', TargetKeyId: keyArn })
  kms.destroy()
  envelope = createEnvelope({ endpoint: url, region: 'us-east-1', credentials: E2E_CREDENTIALS, maxAttempts: 1 })
}, T)

after(cleanupTrent, T)

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

test('encrypt and decrypt a buffer: the result names its context, wrapping key and suite', T, async () => {
  const message = await envelope.encrypt('card 4111', { keyId: 'alias/customer-data', context: { purpose: 'test' } })
  const opened = await envelope.decrypt(message, { expectContext: { purpose: 'test' } })
  assert.equal(opened.plaintext.toString(), 'card 4111')
  assert.equal(opened.context.purpose, 'test')
  assert.deepEqual(opened.keyIds, [keyArn])
  assert.equal(opened.algorithm, 'AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384')
})

test('a stream in gives a stream out, both ways, and decrypting emits the message info first', T, async () => {
  const plaintext = randomBytes(300_000)
  const message = await collect(envelope.encrypt(Readable.from([plaintext.subarray(0, 1000), plaintext.subarray(1000)]), { keyId: keyArn, context: { kind: 'stream' } }))
  const decrypting = envelope.decryptStream({ expectContext: { kind: 'stream' } })
  let info: { context: Record<string, string> } | undefined
  decrypting.once('message', (i: typeof info) => { info = i })
  Readable.from([message]).pipe(decrypting)
  assert.deepEqual(await collect(decrypting), plaintext)
  assert.equal(info?.context.kind, 'stream')
})

test('a stream shorter or longer than its declared plaintextLength fails cleanly (no crash)', T, async () => {
  for (const [declared, actual] of [[10, 12], [10, 8]] as const) {
    const stream = envelope.encrypt(Readable.from([randomBytes(actual)]), { keyId: keyArn, plaintextLength: declared })
    await assert.rejects(collect(stream), (e: Error) => e instanceof RangeError && /declared 10 bytes/.test(e.message))
  }
})

test('an error of the source stream reaches the consumer of the encrypting stream', T, async () => {
  const failing = new Readable({ read() { this.destroy(new Error('disk went away')) } })
  await assert.rejects(collect(envelope.encrypt(failing, { keyId: keyArn })), /disk went away/)
})

test('a consumer that stops reading part-way (destroying the stream) leaves no uncaught error behind', T, async () => {
  for (const make of [
    () => envelope.encrypt(Readable.from((function* () { for (let i = 0; i < 64; i++) yield randomBytes(65_536) })()), { keyId: keyArn }),
    async () => envelope.decrypt(Readable.from([await envelope.encrypt(randomBytes(2_000_000), { keyId: keyArn })])),
  ]) {
    const stream = await make()
    await new Promise<void>((resolve) => stream.once('data', () => resolve()))
    stream.destroy()
    // An uncaught exception in this window fails the test (the runner reports it against this test).
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(stream.destroyed, true)
  }
})

test('decrypt refuses the wrong context, the wrong key and a non-message with EnvelopeErrors', T, async () => {
  const message = await envelope.encrypt(Buffer.from('x'), { keyId: keyArn, context: { tenant: 'a' } })
  const failureOf = async (p: Promise<unknown>) => {
    try {
      await p
    } catch (e) {
      assert.ok(e instanceof EnvelopeError, String(e))
      return e.failure
    }
    return 'no error'
  }
  assert.equal(await failureOf(envelope.decrypt(message, { expectContext: { tenant: 'b' } })), 'ContextMismatch')
  assert.equal(await failureOf(envelope.decrypt(message, { keyIds: [otherArn] })), 'WrongKey')
  assert.equal(await failureOf(envelope.decrypt(Buffer.from('hello world, plain text'))), 'NotAnEsdkMessage')
  const streamed = envelope.decrypt(Readable.from([message]), { expectContext: { tenant: 'b' } })
  await assert.rejects(collect(streamed), (e: Error) => e instanceof EnvelopeError && e.failure === 'ContextMismatch')
})

test('the data-key cache reuses one data key up to its message limit; without it every message has its own', T, async () => {
  const cached = createEnvelope({ endpoint: url, region: 'us-east-1', credentials: E2E_CREDENTIALS, cache: { maxAgeMs: 60_000, maxMessages: 3 } })
  const firstKeyOf = async (e: Envelope) => {
    const message = await e.encrypt('row', { keyId: keyArn, context: { table: 't' } })
    const { messageHeader } = await (await import('@aws-crypto/client-node')).buildClient().decrypt(
      new (await import('@aws-crypto/client-node')).KmsKeyringNode({ discovery: true, clientProvider: () => kmsClient(url) }), message)
    return Buffer.from(messageHeader.encryptedDataKeys[0]!.encryptedDataKey).toString('base64')
  }
  const withCache = [await firstKeyOf(cached), await firstKeyOf(cached), await firstKeyOf(cached), await firstKeyOf(cached)]
  assert.equal(new Set(withCache.slice(0, 3)).size, 1, 'three messages share one data key')
  assert.notEqual(withCache[3], withCache[0], 'the fourth needs a new one')
  const without = [await firstKeyOf(envelope), await firstKeyOf(envelope)]
  assert.notEqual(without[0], without[1])
  assert.throws(() => createEnvelope({ cache: { maxAgeMs: 0 } }), RangeError)
})

test('the package-level encrypt and decrypt use the standard AWS environment', T, async () => {
  const saved = { ...process.env }
  Object.assign(process.env, awsEnv(url))
  try {
    const message = await encrypt(Buffer.from('from the environment'), { keyId: 'alias/customer-data' })
    assert.equal((await decrypt(message)).plaintext.toString(), 'from the environment')
  } finally {
    process.env = saved
  }
})

test('example: encrypting a database column', T, async () => {
  const { stdout } = await run(process.execPath, [join(EXAMPLES, 'encrypt-database-column.js'), 'alias/customer-data'], { env: awsEnv(url) })
  assert.match(stdout, /stored 2 rows; tax ids in the clear: no/)
  assert.match(stdout, /Grace's tax id: 987-65-4321/)
})

test('example: sealing application secrets at start-up', T, async () => {
  const dir = makeTempDir('trent-example-')
  writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ DATABASE_PASSWORD: 'hunter2-but-longer', API_TOKEN: 'tok-123' }))
  const script = join(EXAMPLES, 'seal-secrets-at-startup.js')
  const sealed = await run(process.execPath, [script, 'seal', join(dir, 'secrets.json'), join(dir, 'secrets.sealed'), 'alias/billing-app'], { env: awsEnv(url) })
  assert.match(sealed.stdout, /sealed 2 secrets/)
  assert.equal(readFileSync(join(dir, 'secrets.sealed')).includes(Buffer.from('hunter2')), false)
  const started = await run(process.execPath, [script, 'start', join(dir, 'secrets.sealed')], { env: awsEnv(url) })
  assert.match(started.stdout, /started with secrets: API_TOKEN, DATABASE_PASSWORD/)
  // Sealed for stage dev: a production start-up refuses it.
  await assert.rejects(run(process.execPath, [script, 'start', join(dir, 'secrets.sealed')], { env: awsEnv(url, { STAGE: 'prod' }) }),
    (e: { stderr: string }) => /ContextMismatch/.test(e.stderr))
})
