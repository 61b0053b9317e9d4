// Hostile and malformed input over real HTTP, correctly signed: each gets the AWS error it deserves,
// never a 500, and the server keeps serving afterwards.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { assertErrorReply, callOperation, rawRequest, type RawReply } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }
let server: TrentProcess
const statuses: number[] = []

async function send(options: Parameters<typeof rawRequest>[1]): Promise<RawReply> {
  const reply = await rawRequest(server.url, options)
  statuses.push(reply.status)
  return reply
}

async function call(operation: string, input: unknown): Promise<RawReply> {
  const reply = await callOperation(server.url, operation, input)
  statuses.push(reply.status)
  return reply
}

before(async () => {
  server = await startTrent()
}, T)

after(cleanupTrent, T)

test('an empty body is an empty input: ListKeys answers 200', T, async () => {
  const reply = await send({ target: 'TrentService.ListKeys', body: '' })
  assert.equal(reply.status, 200, reply.text)
  assert.deepEqual(reply.json, { Keys: [], Truncated: false })
  assert.ok(reply.headers.get('x-amzn-requestid'))
})

test('malformed JSON and a JSON array are SerializationException', T, async () => {
  assertErrorReply(await send({ target: 'TrentService.ListKeys', body: '{"Limit": 1' }), 400, 'SerializationException', 'Request body is not valid JSON.')
  assertErrorReply(await send({ target: 'TrentService.ListKeys', body: '[]' }), 400, 'SerializationException', 'Request body must be a JSON object.')
  assertErrorReply(await send({ target: 'TrentService.ListKeys', body: '"text"' }), 400, 'SerializationException', 'Request body must be a JSON object.')
  assertErrorReply(await send({ target: 'TrentService.ListKeys', body: new Uint8Array([0xff, 0xfe, 0x00, 0x7b]) }), 400, 'SerializationException', 'Request body is not valid JSON.')
})

test('an unknown or missing X-Amz-Target is UnknownOperationException', T, async () => {
  const message = 'The requested operation is not recognized by the service.'
  assertErrorReply(await send({ target: 'TrentService.StealKeys', body: '{}' }), 400, 'UnknownOperationException', message)
  assertErrorReply(await send({ target: 'OtherService.ListKeys', body: '{}' }), 400, 'UnknownOperationException', message)
  assertErrorReply(await send({ body: '{}' }), 400, 'UnknownOperationException', message)
})

test('a 5 MiB body is refused with ValidationException and the server still answers afterwards', T, async () => {
  const huge = JSON.stringify({ Description: 'x'.repeat(5 * 1024 * 1024) })
  assertErrorReply(await send({ target: 'TrentService.CreateKey', body: huge }), 400, 'ValidationException', 'Request body exceeds the maximum size of 1048576 bytes.')
  const after = await call('ListKeys', {})
  assert.equal(after.status, 200, after.text)
})

test('invalid base64 in a blob is SerializationException', T, async () => {
  const { json } = await call('CreateKey', {})
  const keyId = (json.KeyMetadata as { KeyId: string }).KeyId
  for (const bad of ['not base64!', 'YWJj=', 'YW Jj', 'YWJjZA']) {
    assertErrorReply(await call('Encrypt', { KeyId: keyId, Plaintext: bad }), 400, 'SerializationException', "Base64 encoded value at 'plaintext' is not valid")
  }
  assertErrorReply(await call('Decrypt', { CiphertextBlob: '%%%' }), 400, 'SerializationException', "Base64 encoded value at 'ciphertextBlob' is not valid")
})

test('wrong member types are SerializationException; out-of-range values are ValidationException', T, async () => {
  assertErrorReply(await call('GenerateRandom', { NumberOfBytes: 'abc' }), 400, 'SerializationException', 'STRING_VALUE can not be converted to an Integer')
  assertErrorReply(await call('GenerateRandom', { NumberOfBytes: 1.5 }), 400, 'SerializationException', 'NUMBER_VALUE can not be converted to an Integer')
  assertErrorReply(await call('ListKeys', { Limit: '1' }), 400, 'SerializationException', 'STRING_VALUE can not be converted to an Integer')
  assertErrorReply(await call('CreateKey', { Tags: { TagKey: 'a', TagValue: 'b' } }), 400, 'SerializationException', 'START_OBJECT can not be converted to a List')
  assertErrorReply(await call('ListKeys', { Limit: 0 }), 400, 'ValidationException',
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
  assertErrorReply(await call('ListKeys', { Limit: 1001 }), 400, 'ValidationException',
    "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")
  assertErrorReply(await call('Encrypt', {}), 400, 'ValidationException',
    "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
    "Value null at 'plaintext' failed to satisfy constraint: Member must not be null")
})

test('an unknown key id is NotFoundException naming the key ARN; a malformed ARN is InvalidArnException', T, async () => {
  const missing = '0f0f0f0f-1111-2222-3333-444444444444'
  assertErrorReply(await call('DescribeKey', { KeyId: missing }), 400, 'NotFoundException',
    `Key 'arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${missing}' does not exist`)
  assertErrorReply(await call('Encrypt', { KeyId: `arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${missing}`, Plaintext: 'AA==' }), 400, 'NotFoundException',
    `Key 'arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${missing}' does not exist`)
  for (const arn of ['arn:aws:kms:us-east-1:123:key/abc', 'arn:aws:kms:us-east-1:111122223333:key/not-a-uuid', 'arn:aws:s3:::bucket']) {
    assertErrorReply(await call('DescribeKey', { KeyId: arn }), 400, 'InvalidArnException', 'Invalid arn')
  }
})

test('garbage ciphertext is InvalidCiphertextException', T, async () => {
  for (const blob of ['AA==', Buffer.alloc(200, 7).toString('base64')]) {
    assertErrorReply(await call('Decrypt', { CiphertextBlob: blob }), 400, 'InvalidCiphertextException',
      null)
  }
})

test('encryption context keys named like Object.prototype members are bound like any other key', T, async () => {
  const { json } = await call('CreateKey', {})
  const keyId = (json.KeyMetadata as { KeyId: string }).KeyId
  // Raw JSON text: a JS object literal would turn "__proto__" into a prototype instead of a member.
  const sealed = await send({ target: 'TrentService.Encrypt', body: `{"KeyId":"${keyId}","Plaintext":"AAAA","EncryptionContext":{"__proto__":"x","constructor":"y"}}` })
  assert.equal(sealed.status, 200, sealed.text)
  const decryptWith = (context: string) => send({ target: 'TrentService.Decrypt', body: `{"CiphertextBlob":"${String(sealed.json.CiphertextBlob)}","EncryptionContext":${context}}` })
  const opened = await decryptWith('{"constructor":"y","__proto__":"x"}')
  assert.equal(opened.status, 200, opened.text)
  assert.equal(opened.json.Plaintext, 'AAAA')
  for (const wrong of ['{}', '{"constructor":"y"}', '{"__proto__":"x"}', '{"__proto__":"z","constructor":"y"}']) {
    assertErrorReply(await decryptWith(wrong), 400, 'InvalidCiphertextException', null)
  }
})

test('a bare GET, as a browser or a port scanner sends, is a 400 JSON error', T, async () => {
  for (const path of ['/', '/favicon.ico']) {
    const get = await fetch(`${server.url}${path}`, { method: 'GET' })
    statuses.push(get.status)
    assert.equal(get.status, 400)
    assert.equal(get.headers.get('content-type'), 'application/x-amz-json-1.1')
    assert.deepEqual(await get.json(), { __type: 'UnknownOperationException', message: 'The requested operation is not recognized by the service.' })
  }
})

test('after all of that the process is alive, /healthz answers 200, and no reply was a 500', T, async () => {
  assert.equal(server.isRunning(), true)
  const health = await fetch(`${server.url}/healthz`)
  assert.equal(health.status, 200)
  assert.deepEqual(await health.json(), { status: 'ok' })
  assert.ok(statuses.length >= 30, `checked ${statuses.length} replies`)
  assert.deepEqual(statuses.filter((s) => s >= 500), [])
  assert.equal(server.stderr().includes('"level":"error"'), false, server.stderr())
})
