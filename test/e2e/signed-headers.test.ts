// The real server refuses SigV4 requests that leave a required header out of SignedHeaders (host; X-Amz-Date,
// X-Amz-Security-Token and X-Amz-Target when present), for KMS and CloudTrail alike; TRENT_ALLOW_UNSIGNED_TARGET
// admits only an unsigned target. Requests are hand-signed with @smithy/signature-v4, choosing what to sign.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { request } from 'node:http'
import { SignatureV4 } from '@smithy/signature-v4'
import { NodeSha256 } from '../support/node-sha256.js'
import { promisify } from 'node:util'
import { assertErrorReply, callOperation, kmsClient, rawRequest } from './support/clients.js'
import { E2E_CREDENTIALS, E2E_REGION, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }
const AWS_CLI = '/usr/bin/aws'
const run = promisify(execFile)
const LOOKUP_EVENTS = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents'
/** Everything else the signer would sign, so only host and x-amz-date remain: what awscurl signs. */
const OPTIONAL_HEADERS = ['content-type', 'x-amz-content-sha256']

const messages: Record<string, string> = {
  host: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  'x-amz-date': "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization when it is present.",
  'x-amz-security-token': "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization when it is present.",
  'x-amz-target': "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization when it is present.",
}

after(cleanupTrent, T)

describe('by default', () => {
  let server: TrentProcess
  before(async () => {
    server = await startTrent()
  }, T)

  for (const [header, message] of Object.entries(messages)) {
    test(`a request that leaves ${header} unsigned is refused with IncompleteSignatureException naming it`, T, async () => {
      const sessionToken = header === 'x-amz-security-token' ? 'FQoGZXIvYXdzEXAMPLEsessiontoken' : undefined
      const reply = await callOperation(server.url, 'ListKeys', {}, { unsignedHeaders: [header], sessionToken })
      assertErrorReply(reply, 400, 'IncompleteSignatureException', message)
    })
  }

  test('CloudTrail LookupEvents with an unsigned X-Amz-Target is refused the same way', T, async () => {
    const reply = await rawRequest(server.url, { target: LOOKUP_EVENTS, body: '{}', service: 'cloudtrail', unsignedHeaders: ['x-amz-target'] })
    assertErrorReply(reply, 400, 'IncompleteSignatureException', messages['x-amz-target']!)
    const signed = await rawRequest(server.url, { target: LOOKUP_EVENTS, body: '{}', service: 'cloudtrail' })
    assert.equal(signed.status, 200, signed.text)
  })

  test('a DescribeKey signed with SignedHeaders=host;x-amz-date and replayed as DisableKey is refused; the key stays Enabled', T, async () => {
    const kms = kmsClient(server.url)
    const { KeyMetadata } = await kms.createKey({})
    const keyId = KeyMetadata!.KeyId!
    const replay = await callOperation(server.url, 'DescribeKey', { KeyId: keyId }, {
      unsignedHeaders: ['x-amz-target', ...OPTIONAL_HEADERS], applyChecksum: false, sendTarget: 'TrentService.DisableKey',
    })
    assertErrorReply(replay, 400, 'IncompleteSignatureException', messages['x-amz-target']!)
    assert.equal((await kms.describeKey({ KeyId: keyId })).KeyMetadata!.KeyState, 'Enabled')
    kms.destroy()
  })

  test('rule 5: a repeated X-Amz-Target is read as its signature reads it (joined), never as its first value; the key stays Enabled', T, async () => {
    const kms = kmsClient(server.url)
    const keyId = (await kms.createKey({})).KeyMetadata!.KeyId!
    const body = JSON.stringify({ KeyId: keyId })
    const { hostname, port } = new URL(server.url)
    // SigV4 joins repeated headers with ",": this signature covers the two headers below exactly.
    const signer = new SignatureV4({ service: 'kms', region: E2E_REGION, sha256: NodeSha256, credentials: E2E_CREDENTIALS })
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', body,
      headers: { host: `${hostname}:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.DisableKey,TrentService.DescribeKey' },
    })
    const headers = { ...signed.headers, 'x-amz-target': ['TrentService.DisableKey', 'TrentService.DescribeKey'] }
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: hostname, port, method: 'POST', path: '/', headers }, (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => { text += chunk.toString('utf8') })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
      req.end(body)
    })
    assert.equal(reply.status, 400, reply.text)
    assert.equal((JSON.parse(reply.text) as { __type: string }).__type, 'UnknownOperationException')
    assert.equal((await kms.describeKey({ KeyId: keyId })).KeyMetadata!.KeyState, 'Enabled')
    kms.destroy()
  })

  test('@aws-sdk/client-kms and the AWS CLI sign every required header and still work', T, async (t) => {
    const kms = kmsClient(server.url)
    const { KeyMetadata } = await kms.createKey({})
    assert.equal((await kms.describeKey({ KeyId: KeyMetadata!.KeyId })).KeyMetadata!.KeyState, 'Enabled')
    kms.destroy()
    if (!existsSync(AWS_CLI)) {
      t.skip(`${AWS_CLI} is not installed`)
      return
    }
    const { stdout } = await run(AWS_CLI, ['kms', 'describe-key', '--key-id', KeyMetadata!.KeyId!, '--endpoint-url', server.url, '--output', 'json'], {
      timeout: 60_000,
      env: {
        PATH: process.env.PATH, HOME: makeTempDir('trent-e2e-aws-'), AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '',
        AWS_ACCESS_KEY_ID: E2E_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: E2E_CREDENTIALS.secretAccessKey,
        AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    })
    assert.equal((JSON.parse(stdout) as { KeyMetadata: { KeyState: string } }).KeyMetadata.KeyState, 'Enabled')
  })
})

describe('with TRENT_ALLOW_UNSIGNED_TARGET=true', () => {
  let server: TrentProcess
  before(async () => {
    server = await startTrent({ env: { TRENT_ALLOW_UNSIGNED_TARGET: 'true' } })
  }, T)

  test('a request signed as awscurl signs it (host;x-amz-date only) is accepted', T, async () => {
    const reply = await callOperation(server.url, 'ListKeys', {}, { unsignedHeaders: ['x-amz-target', ...OPTIONAL_HEADERS], applyChecksum: false })
    assert.equal(reply.status, 200, reply.text)
    assert.deepEqual(reply.json.Keys, [])
  })

  test('an unsigned host or x-amz-date is still refused', T, async () => {
    for (const header of ['host', 'x-amz-date']) {
      const reply = await callOperation(server.url, 'ListKeys', {}, { unsignedHeaders: [header, 'x-amz-target'] })
      assertErrorReply(reply, 400, 'IncompleteSignatureException', messages[header]!)
    }
  })
})
