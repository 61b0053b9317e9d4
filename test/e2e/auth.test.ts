// SigV4 over real HTTP: wrong secrets, unknown keys, wrong regions, missing signatures and clock skew.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { KMS } from '@aws-sdk/client-kms'
import { assertErrorReply, assertSdkError, callOperation, kmsClient, rawRequest } from './support/clients.js'
import { E2E_CREDENTIALS, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 60_000 }
const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
const TWENTY_MINUTES_MS = 20 * 60 * 1000

let server: TrentProcess
const clients: KMS[] = []

function client(config: Parameters<typeof kmsClient>[1]): KMS {
  const kms = kmsClient(server.url, config)
  clients.push(kms)
  return kms
}

before(async () => {
  server = await startTrent()
}, T)

after(async () => {
  for (const kms of clients) kms.destroy()
  await cleanupTrent()
}, T)

test('the right credentials work', T, async () => {
  const out = await client({}).listKeys({})
  assert.deepEqual(out.Keys, [])
  assert.equal(out.Truncated, false)
})

test('a wrong secret is InvalidSignatureException', T, async () => {
  const kms = client({ credentials: { accessKeyId: E2E_CREDENTIALS.accessKeyId, secretAccessKey: `${E2E_CREDENTIALS.secretAccessKey}x` } })
  await assertSdkError(kms.listKeys({}), 'InvalidSignatureException', SIGNATURE_MISMATCH)
})

test('an unknown access key is UnrecognizedClientException', T, async () => {
  const kms = client({ credentials: { accessKeyId: 'AKIDUNKNOWNE2EKEY000', secretAccessKey: E2E_CREDENTIALS.secretAccessKey } })
  await assertSdkError(kms.listKeys({}), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
})

test('a signature scoped to a region the deployment does not serve is InvalidSignatureException', T, async () => {
  await assertSdkError(client({ region: 'xx-nowhere-1' }).listKeys({}), 'InvalidSignatureException', 'Credential should be scoped to a valid region. ')
})

test('a request without Authorization is MissingAuthenticationTokenException', T, async () => {
  const reply = await rawRequest(server.url, { target: 'TrentService.ListKeys', body: '{}', unsigned: true })
  assertErrorReply(reply, 400, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
})

test('a body changed after signing is InvalidSignatureException, with or without x-amz-content-sha256', T, async () => {
  const signedBody = JSON.stringify({ Limit: 1 })
  const sendBody = JSON.stringify({ Limit: 2 })
  const withHash = await rawRequest(server.url, { target: 'TrentService.ListKeys', body: signedBody, sendBody })
  assertErrorReply(withHash, 400, 'InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.")
  const withoutHash = await rawRequest(server.url, { target: 'TrentService.ListKeys', body: signedBody, sendBody, applyChecksum: false })
  assertErrorReply(withoutHash, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH)
  const untouched = await rawRequest(server.url, { target: 'TrentService.ListKeys', body: signedBody, applyChecksum: false })
  assert.equal(untouched.status, 200, untouched.text)
})

test('a request signed 20 minutes ago is refused as expired; 10 minutes ago is accepted', T, async () => {
  const now = Date.now()
  const stale = await callOperation(server.url, 'ListKeys', {}, { signingDate: new Date(now - TWENTY_MINUTES_MS) })
  assertErrorReply(stale, 400, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/)
  const future = await callOperation(server.url, 'ListKeys', {}, { signingDate: new Date(now + TWENTY_MINUTES_MS) })
  assertErrorReply(future, 400, 'InvalidSignatureException', /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/)
  const recent = await callOperation(server.url, 'ListKeys', {}, { signingDate: new Date(now - 10 * 60 * 1000) })
  assert.equal(recent.status, 200, recent.text)
})

test('the SDK with a 20-minute clock offset gets "Signature expired", then corrects its clock from the Date header', T, async () => {
  const once = client({ systemClockOffset: -TWENTY_MINUTES_MS })
  await assertSdkError(once.listKeys({}), 'InvalidSignatureException', /^Signature expired: /)
  // With retries allowed, the SDK treats the error as clock skew, adopts the server's Date, and succeeds.
  const retrying = client({ systemClockOffset: -TWENTY_MINUTES_MS, maxAttempts: 3 })
  const out = await retrying.listKeys({})
  assert.equal(out.Truncated, false)
  assert.ok(Math.abs(retrying.config.systemClockOffset ?? -TWENTY_MINUTES_MS) < 5 * 60 * 1000, `offset now ${retrying.config.systemClockOffset}`)
})

test('authentication failures do not take the server down', T, async () => {
  const out = await client({}).listKeys({})
  assert.equal(out.Truncated, false)
  assert.equal(server.isRunning(), true)
})
