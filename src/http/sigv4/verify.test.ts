// verifySigV4() against KMS requests signed by the AWS SDK's own signer (@smithy/signature-v4): success and each failure.
import { createHash } from 'node:crypto'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { verifySigV4 } from './verify.js'
import {
  accessKeyId, assertKmsError, authorizationOf, body, mismatch, options, sign, signatureOf, signedAt, withHeaders,
} from './sdk-signer.test-support.js'

describe('verifySigV4() with SDK-signed KMS requests', () => {
  it('accepts a request signed by @smithy/signature-v4 and returns the credential without its secret', async () => {
    const req = await sign()
    assert.match(authorizationOf(req), /SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-target;x-amz-user-agent,/)
    const opts = options()
    const verified = await verifySigV4(req, opts)
    assert.deepEqual(verified, {
      credential: { accountId: '111122223333' },
      accessKeyId,
      service: 'kms',
      region: 'us-east-1',
      signedAt,
    })
    assert.deepEqual(opts.lookups, [accessKeyId])
  })

  it('accepts a request that also signs x-amz-content-sha256', async () => {
    const req = await sign({ applyChecksum: true })
    assert.equal(req.headers['x-amz-content-sha256'], createHash('sha256').update(body).digest('hex'))
    assert.match(authorizationOf(req), /;x-amz-content-sha256;/)
    assert.equal((await verifySigV4(req, options())).accessKeyId, accessKeyId)
  })

  it('accepts Authorization parts with no space after the commas', async () => {
    const req = await sign()
    const compact = authorizationOf(req).replace(/, /g, ',')
    assert.notEqual(compact, authorizationOf(req))
    assert.equal((await verifySigV4(withHeaders(req, { authorization: compact }), options())).service, 'kms')
  })

  it('accepts a path and query, normalised as the SDK normalises them', async () => {
    const req = await sign({ path: '/a/./b//c/../d', query: { b: 'two words', a: 'x/y~z' } })
    assert.equal((await verifySigV4(req, options())).service, 'kms')
  })

  it('accepts a change to a header that is not signed', async () => {
    const req = await sign()
    const changed = withHeaders(req, { 'user-agent': 'something-else/1.0', 'x-forwarded-for': '10.0.0.1' })
    assert.equal((await verifySigV4(changed, options())).accessKeyId, accessKeyId)
  })

  it('accepts any of several allowed services', async () => {
    const req = await sign({ service: 'trent' })
    assert.equal((await verifySigV4(req, options({ services: ['kms', 'trent'] }))).service, 'trent')
  })

  it('returns the signed session token', async () => {
    const req = await sign({ sessionToken: 'FQoGZXIvYXdzEXAMPLEtoken' })
    assert.match(authorizationOf(req), /;x-amz-security-token;/)
    const verified = await verifySigV4(req, options())
    assert.equal(verified.sessionToken, 'FQoGZXIvYXdzEXAMPLEtoken')
  })

  it('rejects a request signed with another secret', async () => {
    const req = await sign({ secret: 'not-the-right-secret' })
    await assertKmsError(verifySigV4(req, options()), 'InvalidSignatureException', mismatch, req)
  })

  it('rejects a tampered body', async () => {
    const req = await sign()
    const tampered = { ...req, body: new TextEncoder().encode('{"KeyId":"alias/other","Plaintext":"aGVsbG8="}') }
    await assertKmsError(verifySigV4(tampered, options()), 'InvalidSignatureException', mismatch, req)
  })

  it('rejects a tampered signed header', async () => {
    const req = await sign()
    const tampered = withHeaders(req, { 'x-amz-target': 'TrentService.Decrypt' })
    await assertKmsError(verifySigV4(tampered, options()), 'InvalidSignatureException', mismatch, req)
  })

  it('rejects a request missing a header that SignedHeaders lists', async () => {
    const req = await sign()
    const stripped = withHeaders(req, { 'amz-sdk-invocation-id': undefined })
    await assertKmsError(verifySigV4(stripped, options()), 'InvalidSignatureException', mismatch, req)
  })

  it('rejects a tampered method, path or query', async () => {
    const req = await sign({ query: { a: '1' } })
    for (const tampered of [{ ...req, method: 'PUT' }, { ...req, url: '/other?a=1' }, { ...req, url: '/?a=2' }]) {
      await assertKmsError(verifySigV4(tampered, options()), 'InvalidSignatureException', mismatch, req)
    }
  })

  it('rejects a signature that differs in one digit or in length', async () => {
    const req = await sign()
    const sig = signatureOf(req)
    const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0')
    for (const bad of [flipped, sig.slice(0, -2), sig + '00', sig.toUpperCase()]) {
      const tampered = withHeaders(req, { authorization: authorizationOf(req).replace(sig, bad) })
      await assertKmsError(verifySigV4(tampered, options()), 'InvalidSignatureException', mismatch, req)
    }
  })

  it('rejects an unknown access key', async () => {
    const req = await sign()
    const opts = options({ lookup: async () => undefined })
    await assertKmsError(verifySigV4(req, opts), 'UnrecognizedClientException', 'The security token included in the request is invalid.', req)
  })

  it('rejects a credential scoped to another region, before looking the key up', async () => {
    const req = await sign({ region: 'eu-west-1' })
    const opts = options()
    await assertKmsError(verifySigV4(req, opts), 'InvalidSignatureException', 'Credential should be scoped to a valid region. ', req)
    assert.deepEqual(opts.lookups, [])
  })

  it('rejects a credential scoped to another service, naming the first allowed one', async () => {
    const req = await sign({ service: 'sqs' })
    await assertKmsError(
      verifySigV4(req, options({ services: ['kms', 'trent'] })),
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'kms'. ",
      req,
    )
  })

  it('rejects a credential scope with another terminator', async () => {
    const req = await sign()
    const bad = withHeaders(req, { authorization: authorizationOf(req).replace('/aws4_request,', '/aws4_requesx,') })
    await assertKmsError(
      verifySigV4(bad, options()),
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requesx'. ",
      req,
    )
  })

  it('rejects a credential scope dated another day than X-Amz-Date', async () => {
    const req = await sign()
    const bad = withHeaders(req, { authorization: authorizationOf(req).replace('/20240501/', '/20240430/') })
    await assertKmsError(
      verifySigV4(bad, options()),
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240430' != '20240501', from '20240501T100000Z'.",
      req,
    )
  })

  it('rejects a request signed 16 minutes before now', async () => {
    const req = await sign({ at: new Date(signedAt.getTime() - 16 * 60_000) })
    await assertKmsError(
      verifySigV4(req, options()),
      'InvalidSignatureException',
      'Signature expired: 20240501T094400Z is now earlier than 20240501T094500Z (20240501T100000Z - 15 min.)',
      req,
    )
  })

  it('rejects a request signed 16 minutes after now', async () => {
    const req = await sign({ at: new Date(signedAt.getTime() + 16 * 60_000) })
    await assertKmsError(
      verifySigV4(req, options()),
      'InvalidSignatureException',
      'Signature not yet current: 20240501T101600Z is still later than 20240501T101500Z (20240501T100000Z + 15 min.)',
      req,
    )
  })

  it('accepts requests signed 14 or 15 minutes either side of now', async () => {
    for (const minutes of [-15, -14, 14, 15]) {
      const at = new Date(signedAt.getTime() + minutes * 60_000)
      const verified = await verifySigV4(await sign({ at }), options())
      assert.deepEqual(verified.signedAt, at)
    }
  })

  it('rejects a request with no Authorization header', async () => {
    const req = withHeaders(await sign(), { authorization: undefined })
    await assertKmsError(verifySigV4(req, options()), 'MissingAuthenticationTokenException', 'Missing Authentication Token')
    const empty = withHeaders(req, { authorization: '' })
    await assertKmsError(verifySigV4(empty, options()), 'MissingAuthenticationTokenException', 'Missing Authentication Token')
  })

  it('rejects a bare algorithm with no date header, listing every gap', async () => {
    const req = withHeaders(await sign(), { authorization: 'AWS4-HMAC-SHA256', 'x-amz-date': undefined })
    await assertKmsError(
      verifySigV4(req, options()),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
        "'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
    )
  })

  it('rejects an Authorization header missing only its Signature, without echoing the rest', async () => {
    const req = await sign()
    const partial = withHeaders(req, { authorization: authorizationOf(req).replace(/, Signature=.*$/, '') })
    await assertKmsError(
      verifySigV4(partial, options()),
      'IncompleteSignatureException',
      "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256",
      req,
    )
  })

  it('rejects an Authorization header missing its Credential', async () => {
    const req = await sign()
    const partial = withHeaders(req, { authorization: authorizationOf(req).replace(/Credential=[^,]*, /, '') })
    await assertKmsError(
      verifySigV4(partial, options()),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256",
      req,
    )
  })

  it('rejects another algorithm', async () => {
    const req = await sign()
    const other = withHeaders(req, { authorization: authorizationOf(req).replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512') })
    await assertKmsError(
      verifySigV4(other, options()),
      'IncompleteSignatureException',
      "Unsupported AWS 'algorithm'. Authorization header requires the 'AWS4-HMAC-SHA256' algorithm.",
      req,
    )
  })

  it('rejects a credential without five parts', async () => {
    const req = await sign()
    const bad = withHeaders(req, { authorization: authorizationOf(req).replace('/kms/aws4_request', '/kms') })
    await assertKmsError(
      verifySigV4(bad, options()),
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${accessKeyId}/20240501/us-east-1/kms'`,
      req,
    )
  })

  it('rejects SignedHeaders that leave out host', async () => {
    const req = await sign()
    const bad = withHeaders(req, { authorization: authorizationOf(req).replace(';host;', ';') })
    await assertKmsError(
      verifySigV4(bad, options()),
      'IncompleteSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      req,
    )
  })

  it('rejects an X-Amz-Security-Token that is present but not signed', async () => {
    const req = withHeaders(await sign(), { 'x-amz-security-token': 'FQoGZXIvYXdzEXAMPLEtoken' })
    await assertKmsError(
      verifySigV4(req, options()),
      'IncompleteSignatureException',
      "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization when it is present.",
      req,
    )
  })

  it('rejects a malformed X-Amz-Date', async () => {
    const req = withHeaders(await sign(), { 'x-amz-date': '2024-05-01T10:00:00Z' })
    await assertKmsError(
      verifySigV4(req, options()),
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '2024-05-01T10:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      req,
    )
  })

  it('rejects a signed x-amz-content-sha256 that does not match the body', async () => {
    const other = createHash('sha256').update('something else').digest('hex')
    const req = await sign({ headers: { 'x-amz-content-sha256': other } })
    assert.match(authorizationOf(req), /;x-amz-content-sha256;/)
    const message = "The provided 'x-amz-content-sha256' header does not match what was computed."
    await assertKmsError(verifySigV4(req, options()), 'InvalidSignatureException', message, req)
    const tamperedBody = { ...(await sign({ applyChecksum: true })), body: new TextEncoder().encode('{}') }
    await assertKmsError(verifySigV4(tamperedBody, options()), 'InvalidSignatureException', message)
  })

  it('rejects UNSIGNED-PAYLOAD', async () => {
    const req = await sign({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } })
    await assertKmsError(
      verifySigV4(req, options()),
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      req,
    )
  })
})
