// verifySigV4() refuses a request whose SignedHeaders leave out a header that decides what it does or who sends it:
// host always; X-Amz-Date, X-Amz-Security-Token and X-Amz-Target when present (the target unless allowed).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { verifySigV4 } from './verify.js'
import { accessKeyId, assertKmsError, authorizationOf, options, sign, withHeaders } from './sdk-signer.test-support.js'

const sessionToken = 'FQoGZXIvYXdzEXAMPLEsessiontoken'

/** Each required header and AWS-style message naming it. */
const required = [
  ['host', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."],
  ['x-amz-date', "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization when it is present."],
  ['x-amz-security-token', "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization when it is present."],
  ['x-amz-target', "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization when it is present."],
] as const

describe('verifySigV4() requires host, x-amz-date, x-amz-security-token and x-amz-target to be signed', () => {
  for (const [header, message] of required) {
    it(`refuses a request that leaves ${header} unsigned, naming it`, async () => {
      const req = await sign({ sessionToken, unsigned: [header] })
      assert.ok(req.headers[header] !== undefined, `${header} is still sent`)
      assert.doesNotMatch(authorizationOf(req), new RegExp(`[=;]${header}[;,]`))
      const opts = options()
      await assertKmsError(verifySigV4(req, opts), 'IncompleteSignatureException', message, req)
      assert.deepEqual(opts.lookups, [], 'refused before the access key is looked up')
    })
  }

  it('accepts the same request with every required header signed', async () => {
    const req = await sign({ sessionToken })
    assert.match(authorizationOf(req), /;host;x-amz-date;x-amz-security-token;x-amz-target;/)
    const verified = await verifySigV4(req, options())
    assert.equal(verified.sessionToken, sessionToken)
  })

  it('refuses a DescribeKey signature replayed with X-Amz-Target: TrentService.DisableKey', async () => {
    const signed = await sign({
      headers: { 'x-amz-target': 'TrentService.DescribeKey' },
      unsigned: ['x-amz-target', 'content-type', 'content-length', 'x-amz-user-agent', 'amz-sdk-invocation-id', 'amz-sdk-request'],
    })
    assert.match(authorizationOf(signed), /SignedHeaders=host;x-amz-date,/)
    const replayed = withHeaders(signed, { 'x-amz-target': 'TrentService.DisableKey' })
    await assertKmsError(
      verifySigV4(replayed, options()),
      'IncompleteSignatureException',
      "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization when it is present.",
      replayed,
    )
  })

  it('with allowUnsignedTarget, admits an unsigned X-Amz-Target but still refuses an unsigned host', async () => {
    const unsignedTarget = await sign({ unsigned: ['x-amz-target'] })
    const verified = await verifySigV4(unsignedTarget, options({ allowUnsignedTarget: true }))
    assert.equal(verified.accessKeyId, accessKeyId)
    const unsignedHost = await sign({ unsigned: ['host', 'x-amz-target'] })
    await assertKmsError(
      verifySigV4(unsignedHost, options({ allowUnsignedTarget: true })),
      'IncompleteSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      unsignedHost,
    )
  })

  it('does not require headers that are absent from the request', async () => {
    const req = await sign({ unsigned: ['x-amz-target'] })
    const noTarget = withHeaders(req, { 'x-amz-target': undefined })
    assert.equal((await verifySigV4(noTarget, options())).accessKeyId, accessKeyId)
  })
})
