// The AWS Encryption SDK (@aws-crypto/client-node) using the real server as its KMS keyring backend:
// a small buffer with an encryption context, and a multi-MiB message streamed through node streams.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { KMS } from '@aws-sdk/client-kms'
import { CommitmentPolicy, KmsKeyringNode, buildClient, getClient } from '@aws-crypto/client-node'
import { kmsClient } from './support/clients.js'
import { E2E_CREDENTIALS, cleanupTrent, startTrent } from './support/server.js'

const T = { timeout: 180_000 }
const STREAM_BYTES = 8 * 1024 * 1024
const { encrypt, decrypt, encryptStream, decryptStream } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)

let keyArn: string
let otherKeyArn: string
let keyring: KmsKeyringNode
let url: string

function keyringFor(generatorKeyId: string): KmsKeyringNode {
  // The keyring picks the region from the key ARN and asks this supplier for a client there.
  const clientProvider = getClient(KMS, { endpoint: url, credentials: E2E_CREDENTIALS })
  return new KmsKeyringNode({ generatorKeyId, clientProvider })
}

before(async () => {
  const server = await startTrent()
  url = server.url
  const kms = kmsClient(url)
  keyArn = (await kms.createKey({ Description: 'encryption sdk' })).KeyMetadata!.Arn!
  otherKeyArn = (await kms.createKey({ Description: 'someone else' })).KeyMetadata!.Arn!
  kms.destroy()
  keyring = keyringFor(keyArn)
}, T)

after(cleanupTrent, T)

test('encrypt() and decrypt() round-trip a buffer and carry the encryption context', T, async () => {
  const plaintext = randomBytes(1000)
  const context = { purpose: 'e2e', tenant: 'acme' }
  const { result, messageHeader } = await encrypt(keyring, plaintext, { encryptionContext: context })
  assert.equal(messageHeader.encryptedDataKeys.length, 1)
  assert.equal(messageHeader.encryptedDataKeys[0]!.providerId, 'aws-kms')
  assert.equal(messageHeader.encryptedDataKeys[0]!.providerInfo, keyArn)
  assert.equal(result.includes(plaintext), false)

  const opened = await decrypt(keyring, result)
  assert.deepEqual(Buffer.from(opened.plaintext), plaintext)
  assert.equal(opened.messageHeader.encryptionContext.purpose, 'e2e')
  assert.equal(opened.messageHeader.encryptionContext.tenant, 'acme')
})

test('a keyring for another key cannot decrypt the message', T, async () => {
  const { result } = await encrypt(keyring, Buffer.from('for one key only'))
  await assert.rejects(decrypt(keyringFor(otherKeyArn), result), /unencryptedDataKey has not been set/)
})

async function sha256Of(chunks: AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of chunks) hash.update(chunk)
  return hash.digest('hex')
}

/** 8 MiB of random bytes as a stream of 64 KiB chunks, and the SHA-256 of what it yields. */
function randomSource(): { source: Readable; digest: () => string } {
  const hash = createHash('sha256')
  let remaining = STREAM_BYTES
  const source = new Readable({
    read() {
      if (remaining === 0) return void this.push(null)
      const chunk = randomBytes(Math.min(65_536, remaining))
      remaining -= chunk.length
      hash.update(chunk)
      this.push(chunk)
    },
  })
  return { source, digest: () => hash.digest('hex') }
}

test('encryptStream() and decryptStream() round-trip an 8 MiB message through node streams', T, async () => {
  const { source, digest } = randomSource()
  const ciphertext: Buffer[] = []
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      ciphertext.push(chunk)
      done()
    },
  })
  await pipeline(source, encryptStream(keyring, { encryptionContext: { file: 'big.bin' } }), collect)
  const inputDigest = digest()
  const sealedBytes = ciphertext.reduce((n, c) => n + c.length, 0)
  assert.ok(sealedBytes > STREAM_BYTES, `ciphertext is ${sealedBytes} bytes`)

  const decrypting = decryptStream(keyring)
  let header: { encryptionContext: Record<string, string> } | undefined
  decrypting.once('MessageHeader', (h: { encryptionContext: Record<string, string> }) => { header = h })
  let outputDigest = ''
  await pipeline(Readable.from(ciphertext), decrypting, async (plaintext: AsyncIterable<Buffer>) => { outputDigest = await sha256Of(plaintext) })
  assert.equal(outputDigest, inputDigest)
  assert.equal(header?.encryptionContext.file, 'big.bin')
})
