// `trent encrypt` / `trent decrypt` against the real server: a 100 MiB round trip in bounded memory, messages
// that interoperate with @aws-crypto/client-node both ways, several wrapping keys, suites, the data-key cache,
// and the clear refusals (wrong key, tampering, context mismatch, not an ESDK message).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import { KMS } from '@aws-sdk/client-kms'
import { AlgorithmSuiteIdentifier, CommitmentPolicy, KmsKeyringNode, buildClient, getClient } from '@aws-crypto/client-node'
import { kmsClient } from './support/clients.js'
import { awsEnv, runTrent } from './support/envelope-cli.js'
import { E2E_CREDENTIALS, cleanupTrent, makeTempDir, startTrent } from './support/server.js'

const T = { timeout: 300_000 }
const BIG = 100 * 1024 * 1024
/** Node, the AWS SDK and the ESDK need ~120-130 MiB whatever the size; a copy of the 100 MiB input would push it far above this. */
const RSS_BOUND = 180 * 1024 * 1024
const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)

let url: string
let env: NodeJS.ProcessEnv
let dir: string
let keyArn: string
let secondArn: string
let otherArn: string

const keyring = (generatorKeyId: string) =>
  new KmsKeyringNode({ generatorKeyId, clientProvider: getClient(KMS, { endpoint: url, credentials: E2E_CREDENTIALS }) })

before(async () => {
  const server = await startTrent()
  url = server.url
  env = awsEnv(url)
  dir = makeTempDir('trent-envelope-')
  const kms = kmsClient(url)
  keyArn = (await kms.createKey({ Description: 'envelope' })).KeyMetadata!.Arn!
  secondArn = (await kms.createKey({ Description: 'second wrapping key' })).KeyMetadata!.Arn!
  otherArn = (await kms.createKey({ Description: 'unrelated' })).KeyMetadata!.Arn!
  await kms.createAlias({ AliasName: 'alias/envelope', TargetKeyId: keyArn })
  kms.destroy()
}, T)

after(cleanupTrent, T)

const path = (name: string) => join(dir, name)

/** Writes `bytes` of random data to `file` in 1 MiB chunks and returns its SHA-256. */
async function writeRandomFile(file: string, bytes: number): Promise<string> {
  const hash = createHash('sha256')
  const out = createWriteStream(file)
  for (let left = bytes; left > 0;) {
    const chunk = randomBytes(Math.min(left, 1 << 20))
    left -= chunk.length
    hash.update(chunk)
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
  return hash.digest('hex')
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

test('a 100 MiB file round-trips through trent encrypt and trent decrypt in bounded memory', T, async (t) => {
  const digest = await writeRandomFile(path('big.bin'), BIG)
  const sealed = await runTrent(['encrypt', '--key-id', 'alias/envelope', '--context', 'file=big.bin', '--in', path('big.bin'), '--out', path('big.bin.encrypted')], env)
  assert.equal(sealed.code, 0, sealed.stderr)
  assert.equal(sealed.stdout.length, 0)
  assert.equal(sealed.stderr.includes('\r'), false, 'no progress bar when stderr is not a terminal')
  const opened = await runTrent(['decrypt', '--expect-context', 'file=big.bin', '--in', path('big.bin.encrypted'), '--out', path('big.out')], env)
  assert.equal(opened.code, 0, opened.stderr)
  assert.equal(await sha256File(path('big.out')), digest)
  // The same command on 1 MiB: the baseline of node and the SDKs. Garbage collection lets the 100 MiB run grow
  // some 30-45 MiB above it; holding the input (or the message) would add at least 100 MiB.
  await writeRandomFile(path('small.bin'), 1 << 20)
  const baseline = await runTrent(['encrypt', '--key-id', 'alias/envelope', '--in', path('small.bin'), '--out', path('small.bin.encrypted')], env)
  assert.equal(baseline.code, 0, baseline.stderr)
  assert.ok(sealed.peakRss - baseline.peakRss < 64 * 1024 * 1024, `encrypting 100 MiB peaks ${((sealed.peakRss - baseline.peakRss) / 1048576).toFixed(1)} MiB above encrypting 1 MiB`)
  for (const [what, run] of [['encrypt', sealed], ['decrypt', opened]] as const) {
    assert.ok(run.peakRss > 20 * 1024 * 1024, `${what}: the RSS reading worked (${run.peakRss})`)
    assert.ok(run.peakRss < RSS_BOUND, `${what}: peak RSS ${(run.peakRss / 1048576).toFixed(1)} MiB is within ${RSS_BOUND / 1048576} MiB`)
  }
  t.diagnostic(`100 MiB round trip: peak RSS encrypt ${(sealed.peakRss / 1048576).toFixed(1)} MiB, decrypt ${(opened.peakRss / 1048576).toFixed(1)} MiB; 1 MiB encrypt ${(baseline.peakRss / 1048576).toFixed(1)} MiB`)
})

test('a message made by trent encrypt decrypts with @aws-crypto/client-node, context and suite intact', T, async () => {
  const plaintext = randomBytes(50_000)
  writeFileSync(path('interop.bin'), plaintext)
  const run = await runTrent(['encrypt', '--key-id', keyArn, '--context', 'purpose=interop', '--algorithm', 'AES_256_GCM_HKDF_SHA512_COMMIT_KEY', '--in', path('interop.bin'), '--out', '-'], env)
  assert.equal(run.code, 0, run.stderr)
  const opened = await esdk.decrypt(keyring(keyArn), run.stdout)
  assert.deepEqual(opened.plaintext, plaintext)
  assert.equal(opened.messageHeader.encryptionContext.purpose, 'interop')
  assert.equal(opened.messageHeader.suiteId, AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY)
})

test('a message made by @aws-crypto/client-node decrypts with trent decrypt (stdin to stdout)', T, async () => {
  const plaintext = randomBytes(20_000)
  const { result } = await esdk.encrypt(keyring(keyArn), plaintext, { encryptionContext: { tenant: 'acme' } })
  const run = await runTrent(['decrypt', '--expect-context', 'tenant=acme', '--in', '-', '--out', '-'], env, result)
  assert.equal(run.code, 0, run.stderr)
  assert.deepEqual(run.stdout, plaintext)
})

test('with two wrapping keys, either one alone decrypts the message', T, async () => {
  const plaintext = randomBytes(10_000)
  const sealed = await runTrent(['encrypt', '--key-id', keyArn, '--key-id', secondArn, '--in', '-', '--out', '-'], env, plaintext)
  assert.equal(sealed.code, 0, sealed.stderr)
  const header = (await esdk.decrypt(keyring(secondArn), sealed.stdout)).messageHeader
  assert.deepEqual(header.encryptedDataKeys.map((k) => k.providerInfo), [keyArn, secondArn])
  for (const only of [keyArn, secondArn]) {
    const run = await runTrent(['decrypt', '--key-id', only, '--in', '-', '--out', '-'], env, sealed.stdout)
    assert.equal(run.code, 0, run.stderr)
    assert.deepEqual(run.stdout, plaintext)
  }
})

test('the data-key cache lets several files share one data key, within its message limit', T, async () => {
  const inputs = ['a', 'b', 'c'].map((name) => {
    writeFileSync(path(`cache-${name}.txt`), `contents of ${name}`)
    return path(`cache-${name}.txt`)
  })
  for (const [label, extra, distinct] of [['cached', ['--cache-max-age', '300', '--cache-max-messages', '2'], 2], ['uncached', [], 3]] as const) {
    const out = path(`cache-out-${label}`)
    mkdirSync(out)
    const run = await runTrent(['encrypt', '--key-id', keyArn, ...inputs.flatMap((i) => ['--in', i]), '--out', out, ...extra], env)
    assert.equal(run.code, 0, run.stderr)
    assert.deepEqual(readdirSync(out).sort(), ['cache-a.txt.encrypted', 'cache-b.txt.encrypted', 'cache-c.txt.encrypted'])
    const edks = await Promise.all(readdirSync(out).sort().map((f) => firstEncryptedDataKey(readFileSync(join(out, f)))))
    assert.equal(new Set(edks).size, distinct, `${label}: ${distinct} distinct data keys for 3 files`)
    const back = path(`cache-back-${label}`)
    mkdirSync(back)
    const opened = await runTrent(['decrypt', ...readdirSync(out).sort().flatMap((f) => ['--in', join(out, f)]), '--out', back], env)
    assert.equal(opened.code, 0, opened.stderr)
    assert.equal(readFileSync(join(back, 'cache-b.txt'), 'utf8'), 'contents of b')
  }
})

/** The base64 of a message's first encrypted data key (the same bytes iff the same data key was reused). */
async function firstEncryptedDataKey(message: Buffer): Promise<string> {
  const { messageHeader } = await esdk.decrypt(keyring(keyArn), message)
  return Buffer.from(messageHeader.encryptedDataKeys[0]!.encryptedDataKey).toString('base64')
}

test('the endpoint also comes from AWS_ENDPOINT_URL, and --endpoint-url overrides the variables', T, async () => {
  const viaGlobal = await runTrent(['encrypt', '--key-id', keyArn, '--in', '-', '--out', '-'], awsEnv(url, { AWS_ENDPOINT_URL_KMS: undefined, AWS_ENDPOINT_URL: url }), Buffer.from('x'))
  assert.equal(viaGlobal.code, 0, viaGlobal.stderr)
  const viaFlag = await runTrent(['decrypt', '--endpoint-url', url, '--in', '-', '--out', '-'], awsEnv('http://127.0.0.1:9'), viaGlobal.stdout)
  assert.equal(viaFlag.code, 0, viaFlag.stderr)
  assert.equal(viaFlag.stdout.toString(), 'x')
})

test('credentials and region also come from a profile in the shared AWS files (AWS_PROFILE)', T, async () => {
  const home = makeTempDir('trent-aws-home-')
  mkdirSync(join(home, '.aws'))
  writeFileSync(join(home, '.aws', 'credentials'), `[ci]\naws_access_key_id = ${E2E_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${E2E_CREDENTIALS.secretAccessKey}\n`)
  writeFileSync(join(home, '.aws', 'config'), '[profile ci]\nregion = us-east-1\n')
  const profileEnv = awsEnv(url, { HOME: home, AWS_PROFILE: 'ci', AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_REGION: undefined })
  const run = await runTrent(['encrypt', '--key-id', 'alias/envelope', '--in', '-', '--out', '-'], profileEnv, Buffer.from('via profile'))
  assert.equal(run.code, 0, run.stderr)
  const back = await runTrent(['decrypt', '--in', '-', '--out', '-'], profileEnv, run.stdout)
  assert.equal(back.stdout.toString(), 'via profile')
  const noProfile = await runTrent(['encrypt', '--key-id', 'alias/envelope', '--in', '-', '--out', '-'], { ...profileEnv, AWS_PROFILE: 'absent' }, Buffer.from('x'))
  assert.equal(noProfile.code, 1)
})

async function sealed(context: Record<string, string> = {}): Promise<Buffer> {
  return (await esdk.encrypt(keyring(keyArn), Buffer.from('a secret line'), { encryptionContext: context })).result
}

/** Runs `trent decrypt … --out FILE` and checks it failed with exit 1 and `message`, leaving no output file behind. */
async function assertRefused(args: string[], input: Buffer, message: RegExp, name: string): Promise<void> {
  writeFileSync(path(`${name}.in`), input)
  const run = await runTrent(['decrypt', ...args, '--in', path(`${name}.in`), '--out', path(`${name}.out`)], env)
  assert.equal(run.code, 1, run.stderr)
  assert.match(run.stderr, message)
  assert.doesNotMatch(run.stderr, /a secret line|at .*\.js:\d+/, 'no plaintext and no stack trace')
  assert.equal(existsSync(path(`${name}.out`)), false)
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes(`${name}.out`)), [], 'no temporary file left')
}

test('decrypt refuses a message whose context lacks or differs from an expected pair', T, async () => {
  const message = await sealed({ stage: 'prod' })
  await assertRefused(['--expect-context', 'stage=dev'], message, /encryption context has a different value for 'stage'/, 'ctx-differs')
  await assertRefused(['--expect-context', 'stage=prod', '--expect-context', 'team=x'], message, /encryption context has no 'team' pair/, 'ctx-missing')
})

test('decrypt names a wrong key, a tampered message and a file that is not an ESDK message', T, async () => {
  const message = await sealed()
  await assertRefused(['--key-id', otherArn], message, /none of the wrapping keys could decrypt this message's data key/, 'wrong-key')
  const tampered = Buffer.from(message)
  tampered[tampered.length - 120]! ^= 0x01
  await assertRefused([], tampered, /failed authentication: it was tampered with, truncated or is corrupt/, 'tampered')
  await assertRefused([], message.subarray(0, message.length - 40), /failed authentication/, 'truncated')
  await assertRefused([], Buffer.from('just some text, not a message'), /not an AWS Encryption SDK message/, 'not-esdk')
})

test('without permission to use the key, decrypt says what KMS answered', T, async () => {
  const message = await sealed()
  writeFileSync(path('denied.in'), message)
  const run = await runTrent(['decrypt', '--in', path('denied.in'), '--out', path('denied.out')], awsEnv(url, { AWS_SECRET_ACCESS_KEY: 'not-the-secret' }))
  assert.equal(run.code, 1)
  assert.match(run.stderr, /none of the wrapping keys could decrypt .*KMS said: InvalidSignatureException/)
})

test('usage mistakes exit 2 with the usage text', T, async () => {
  const missingKey = await runTrent(['encrypt', '--in', '-', '--out', '-'], env)
  assert.equal(missingKey.code, 2)
  assert.match(missingKey.stderr, /--key-id is required[\s\S]*usage: trent encrypt/)
  const badSuite = await runTrent(['encrypt', '--key-id', keyArn, '--algorithm', 'ROT13', '--in', '-', '--out', '-'], env)
  assert.equal(badSuite.code, 2)
  assert.match(badSuite.stderr, /unknown --algorithm ROT13/)
  const strayCache = await runTrent(['encrypt', '--key-id', keyArn, '--cache-max-messages', '5', '--in', '-', '--out', '-'], env)
  assert.equal(strayCache.code, 2)
  assert.match(strayCache.stderr, /need --cache-max-age/)
})
