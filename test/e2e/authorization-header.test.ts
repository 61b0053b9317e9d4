// The real server accepts an Authorization header with exactly Credential, SignedHeaders and Signature, each
// once. Requests hand-signed with @smithy/signature-v4 (a valid signature) and then given an extra component
// (a 12 KB `Junk=…`) or a repeated one are refused with IncompleteSignatureException; the unmodified
// signature, and the SDK client, still work.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { assertErrorReply, callOperation, kmsClient } from './support/clients.js'
import { cleanupTrent, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }
const UNKNOWN = "Authorization header contains an unrecognized parameter; only 'Credential', 'SignedHeaders' and 'Signature' are allowed. Authorization=AWS4-HMAC-SHA256"
const repeated = (name: string) => `Authorization header contains the '${name}' parameter more than once. Authorization=AWS4-HMAC-SHA256`
const part = (header: string, name: string) => new RegExp(`${name}=[^,]*`).exec(header)![0]

after(cleanupTrent, T)

describe('the SigV4 Authorization header', () => {
  let server: TrentProcess
  before(async () => {
    server = await startTrent()
  }, T)

  test('a validly signed request still works unmodified, through the SDK too', T, async () => {
    const reply = await callOperation(server.url, 'ListKeys', {})
    assert.equal(reply.status, 200, reply.text)
    const kms = kmsClient(server.url)
    assert.ok(Array.isArray((await kms.listKeys({})).Keys))
    kms.destroy()
  })

  test('an appended 12 KB Junk component is refused with IncompleteSignatureException that does not echo it', T, async () => {
    const junk = 'J'.repeat(12 * 1024)
    const reply = await callOperation(server.url, 'ListKeys', {}, { rewriteAuthorization: (h) => `${h}, Junk=${junk}` })
    assertErrorReply(reply, 400, 'IncompleteSignatureException', UNKNOWN)
    assert.ok(!reply.text.includes('JJJJ'))
  })

  test('an unknown component placed first is refused the same way', T, async () => {
    const reply = await callOperation(server.url, 'ListKeys', {}, { rewriteAuthorization: (h) => h.replace('AWS4-HMAC-SHA256 ', 'AWS4-HMAC-SHA256 Extra=1, ') })
    assertErrorReply(reply, 400, 'IncompleteSignatureException', UNKNOWN)
  })

  for (const name of ['SignedHeaders', 'Signature', 'Credential']) {
    test(`a repeated ${name} is refused with IncompleteSignatureException`, T, async () => {
      const reply = await callOperation(server.url, 'ListKeys', {}, { rewriteAuthorization: (h) => `${h}, ${part(h, name)}` })
      assertErrorReply(reply, 400, 'IncompleteSignatureException', repeated(name))
    })
  }

  test('the three components in another order, without spaces, are still accepted', T, async () => {
    const reply = await callOperation(server.url, 'ListKeys', {}, {
      rewriteAuthorization: (h) => `AWS4-HMAC-SHA256 ${part(h, 'Signature')},${part(h, 'SignedHeaders')},${part(h, 'Credential')}`,
    })
    assert.equal(reply.status, 200, reply.text)
  })
})
