// AWS's message shapes reach unchanged clients through the real server: no message member for the exceptions AWS
// sends bare (the SDK then shows its placeholder `UnknownError`, the CLI nothing after the colon), echoed values
// where AWS echoes them, and millisecond timestamps.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import type { KMS } from '@aws-sdk/client-kms'
import { assertErrorReply, assertSdkError, callOperation, kmsClient } from './support/clients.js'
import { E2E_CREDENTIALS, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }
const AWS_CLI = '/usr/bin/aws'
const cliSkip = existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed`
const run = promisify(execFile)

let server: TrentProcess
let kms: KMS

before(async () => {
  server = await startTrent()
  kms = kmsClient(server.url)
}, T)

after(async () => {
  kms?.destroy()
  await cleanupTrent()
}, T)

/** `aws kms <args>` that must fail; returns its stderr. */
async function awsKmsFails(...args: string[]): Promise<string> {
  const home = makeTempDir('trent-e2e-msg-')
  try {
    await run(AWS_CLI, ['kms', ...args, '--endpoint-url', server.url, '--output', 'json'], {
      timeout: 60_000,
      env: {
        PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: E2E_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: E2E_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '',
      },
    })
  } catch (e) {
    return String((e as { stderr?: string }).stderr)
  }
  throw new Error(`aws kms ${args.join(' ')} succeeded`)
}

test('the SDK sees no message for a bad ciphertext, signature or MAC, and the wire has no message member', T, async () => {
  const { KeyMetadata } = await kms.createKey({})
  const sealed = await kms.encrypt({ KeyId: KeyMetadata!.KeyId!, Plaintext: Buffer.from('x') })
  const tampered = Buffer.from(sealed.CiphertextBlob!)
  tampered[tampered.length - 1]! ^= 1
  await assertSdkError(kms.decrypt({ CiphertextBlob: tampered }), 'InvalidCiphertextException', null)
  assertErrorReply(await callOperation(server.url, 'Decrypt', { CiphertextBlob: tampered.toString('base64') }), 400, 'InvalidCiphertextException', null)

  const signer = (await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata!.KeyId!
  const { Signature } = await kms.sign({ KeyId: signer, Message: Buffer.from('a'), SigningAlgorithm: 'ECDSA_SHA_256' })
  await assertSdkError(kms.verify({ KeyId: signer, Message: Buffer.from('b'), SigningAlgorithm: 'ECDSA_SHA_256', Signature }), 'KMSInvalidSignatureException', null)

  const mac = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata!.KeyId!
  await assertSdkError(kms.verifyMac({ KeyId: mac, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256', Mac: new Uint8Array(32) }), 'KMSInvalidMacException', null)
})

test('the SDK sees the echoed values AWS sends', T, async () => {
  await assertSdkError(kms.describeKey({ KeyId: 'not-a-key' }), 'NotFoundException', "Invalid keyId 'not-a-key'")
  await assertSdkError(kms.describeKey({ KeyId: 'arn:aws:kms:eu-west-1:111122223333:key/0badc0de-1111-4222-8333-944445555666' }), 'NotFoundException', 'Invalid arn eu-west-1')
  await assertSdkError(kms.generateRandom({ NumberOfBytes: 2000 }), 'ValidationException',
    "1 validation error detected: Value '2000' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
  await assertSdkError(kms.createKey({ Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' })) }), 'TagException', 'Too many tags')
})

test('the SDK reads millisecond timestamps', T, async () => {
  const { KeyMetadata } = await kms.createKey({})
  const raw = await callOperation(server.url, 'DescribeKey', { KeyId: KeyMetadata!.KeyId })
  const seconds = (raw.json.KeyMetadata as { CreationDate: number }).CreationDate
  assert.equal(KeyMetadata!.CreationDate!.getTime(), Math.round(seconds * 1000))
  assert.ok(Number.isFinite(seconds) && seconds > 1.7e9)
})

test('the AWS CLI prints the bare exception and the echoed keyId', { ...T, skip: cliSkip }, async () => {
  const tampered = Buffer.alloc(64, 1).toString('base64')
  const stderr = await awsKmsFails('decrypt', '--ciphertext-blob', tampered)
  assert.match(stderr, /An error occurred \(InvalidCiphertextException\) when calling the Decrypt operation: ?\s*$/)
  assert.match(await awsKmsFails('describe-key', '--key-id', 'not-a-key'), /\(NotFoundException\) when calling the DescribeKey operation: Invalid keyId 'not-a-key'/)
})
