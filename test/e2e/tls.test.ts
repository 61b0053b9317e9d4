// HTTPS: `trent tls dev-cert` makes a certificate, TRENT_TLS_CERT/KEY serve it; the AWS SDK (with the cert as
// its CA) and the Debian AWS CLI (--ca-bundle) work over it, aws:SecureTransport is true, and old protocol
// versions, weak suites and plain HTTP are refused.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { Agent } from 'node:https'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { CLI_JS } from './support/trent-cli.js'
import { kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'

const AWS_CLI = '/usr/bin/aws'
const T = { timeout: 120_000 }
const run = promisify(execFile)

let server: TrentProcess
let certDir: string
let ca: Buffer

before(async () => {
  certDir = join(makeTempDir('trent-e2e-tls-'), 'tls')
  const made = await run(process.execPath, [CLI_JS, 'tls', 'dev-cert', '--out', certDir], { timeout: 60_000 })
  assert.match(made.stdout, /--ca-bundle/)
  ca = readFileSync(join(certDir, 'cert.pem'))
  server = await startTrent({ env: { TRENT_TLS_CERT: join(certDir, 'cert.pem'), TRENT_TLS_KEY: join(certDir, 'key.pem') } })
}, T)

after(cleanupTrent, T)

function sdk() {
  return kmsClient(server.url, { requestHandler: { httpsAgent: new Agent({ ca }) } })
}

test('dev-cert writes an owner-only key beside the certificate, and the server says https', T, () => {
  assert.equal(statSync(join(certDir, 'key.pem')).mode & 0o777, 0o600)
  assert.equal(statSync(certDir).mode & 0o777, 0o700)
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/)
})

test('the AWS SDK round-trips over HTTPS, trusting the dev certificate', T, async () => {
  const kms = sdk()
  try {
    const { KeyMetadata } = await kms.createKey({ Description: 'over tls' })
    const { CiphertextBlob } = await kms.encrypt({ KeyId: KeyMetadata!.KeyId!, Plaintext: Buffer.from('secret over tls') })
    const { Plaintext } = await kms.decrypt({ CiphertextBlob })
    assert.equal(Buffer.from(Plaintext!).toString(), 'secret over tls')
  } finally {
    kms.destroy()
  }
})

test('aws:SecureTransport is true for a request over TLS', T, async () => {
  const kms = sdk()
  const policy = (secure: 'true' | 'false') => JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'deny', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': secure } } },
    ],
  })
  try {
    const plainOnly = await kms.createKey({ Policy: policy('false') }) // denies insecure transport: TLS passes
    await kms.encrypt({ KeyId: plainOnly.KeyMetadata!.KeyId!, Plaintext: Buffer.from('x') })
    const tlsDenied = await kms.createKey({ Policy: policy('true') }) // denies secure transport: TLS is refused
    await assert.rejects(kms.encrypt({ KeyId: tlsDenied.KeyMetadata!.KeyId!, Plaintext: Buffer.from('x') }), { name: 'AccessDeniedException' })
  } finally {
    kms.destroy()
  }
})

test('the AWS CLI works with --ca-bundle, and refuses the server without it', T, async (t) => {
  if (!existsSync(AWS_CLI)) {
    if (process.env.CI === 'true') assert.fail(`${AWS_CLI} is missing: the CI image must install the Debian awscli package`)
    t.skip(`${AWS_CLI} is not installed`)
    return
  }
  const home = makeTempDir('trent-e2e-tls-cli-')
  const env = {
    PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: E2E_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: E2E_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '',
  }
  const args = ['kms', 'list-keys', '--endpoint-url', server.url.replace('127.0.0.1', 'localhost'), '--output', 'json']
  const { stdout } = await run(AWS_CLI, [...args, '--ca-bundle', join(certDir, 'cert.pem')], { env, timeout: 60_000 })
  assert.ok(Array.isArray((JSON.parse(stdout) as { Keys: unknown[] }).Keys))
  await assert.rejects(run(AWS_CLI, args, { env, timeout: 60_000 }), /SSL|certificate/i)
})

function handshake(options: { maxVersion?: 'TLSv1.1' | 'TLSv1.2'; ciphers?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: server.port, ca, servername: 'localhost', ...options }, () => {
      const protocol = socket.getProtocol() ?? ''
      socket.end()
      resolve(protocol)
    })
    socket.on('error', reject)
  })
}

test('TLS 1.1, and TLS 1.2 without forward secrecy or AEAD, are refused; TLS 1.3 and good 1.2 suites are not', T, async () => {
  assert.equal(await handshake({}), 'TLSv1.3')
  assert.equal(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }), 'TLSv1.2')
  await assert.rejects(handshake({ maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }))
  await assert.rejects(handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' }), 'CBC suite')
  await assert.rejects(handshake({ maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }), 'RSA key exchange')
})

test('plain HTTP to the TLS port gets no API answer', T, async () => {
  const reply = await fetch(server.url.replace('https:', 'http:'), { method: 'POST', body: '{}' }).then((r) => r.status, () => 'refused')
  assert.notEqual(reply, 200)
  assert.notEqual(reply, 400)
})
