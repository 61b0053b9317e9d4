// parseAuthorization() and requireCompleteAuthorization(): header syntax and completeness.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KmsError } from '../../wire/kms-error.js'
import { requireCompleteAuthorization } from './complete-authorization.js'
import { parseAuthorization } from './parse-authorization.js'

const credential = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request'
const signature = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'
const expected = { credential, signedHeaders: ['host', 'x-amz-date'], signature }

function incomplete(message: string) {
  return (err: unknown) => {
    assert.ok(err instanceof KmsError)
    assert.equal(err.name, 'IncompleteSignatureException')
    assert.equal(err.message, message)
    assert.ok(!err.message.includes(signature))
    return true
  }
}

describe('parseAuthorization()', () => {
  it('reads the three parts with a space after each comma', () => {
    const parsed = parseAuthorization(`AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${signature}`)
    assert.deepEqual(parsed, expected)
  })

  it('reads the three parts with no space after the commas', () => {
    assert.deepEqual(parseAuthorization(`AWS4-HMAC-SHA256 Credential=${credential},SignedHeaders=host;x-amz-date,Signature=${signature}`), expected)
  })

  it('tolerates extra whitespace, tabs and a trailing comma, in any order', () => {
    const header = `  AWS4-HMAC-SHA256\tSignature=${signature} ,  Credential=${credential},SignedHeaders=host;x-amz-date ,`
    assert.deepEqual(parseAuthorization(header), expected)
  })

  it('lowercases SignedHeaders and keeps their order', () => {
    assert.deepEqual(parseAuthorization('AWS4-HMAC-SHA256 SignedHeaders=X-Amz-Date;Host').signedHeaders, ['x-amz-date', 'host'])
  })

  it('leaves absent or empty parts undefined', () => {
    assert.deepEqual(parseAuthorization('AWS4-HMAC-SHA256'), {})
    assert.deepEqual(parseAuthorization(`AWS4-HMAC-SHA256 Credential=, Signature=${signature}`), { signature })
  })

  it('refuses a repeated part, naming only the part', () => {
    for (const name of ['Signature', 'Credential', 'SignedHeaders']) {
      const header = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${signature}, ${name}=x`
      assert.throws(() => parseAuthorization(header), incomplete(`Authorization header contains the '${name}' parameter more than once. Authorization=AWS4-HMAC-SHA256`))
    }
    assert.throws(() => parseAuthorization(`AWS4-HMAC-SHA256 Credential=, Credential=${credential}`), incomplete("Authorization header contains the 'Credential' parameter more than once. Authorization=AWS4-HMAC-SHA256"))
  })

  it('refuses an unknown part without echoing it, however large', () => {
    const junk = 'J'.repeat(12 * 1024)
    const unknown = incomplete("Authorization header contains an unrecognized parameter; only 'Credential', 'SignedHeaders' and 'Signature' are allowed. Authorization=AWS4-HMAC-SHA256")
    for (const extra of [`Junk=${junk}`, 'credential=x', 'X-Amz-Date=20150830T123600Z', '=x']) {
      const header = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${signature}, ${extra}`
      assert.throws(() => parseAuthorization(header), (err: unknown) => unknown(err) && !(err as Error).message.includes('JJJ'))
    }
  })

  it('rejects another algorithm without echoing the header', () => {
    for (const header of [`AWS4-HMAC-SHA512 Signature=${signature}`, `Bearer ${signature}`, `aws4-hmac-sha256 Signature=${signature}`, `AWS4-HMAC-SHA256Credential=${credential}`]) {
      assert.throws(() => parseAuthorization(header), incomplete("Unsupported AWS 'algorithm'. Authorization header requires the 'AWS4-HMAC-SHA256' algorithm."))
    }
  })

  it('rejects a part without an equal sign without echoing it', () => {
    assert.throws(
      () => parseAuthorization(`AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature ${signature}`),
      incomplete('A part of the Authorization header is not a valid key=value pair (missing equal-sign). Authorization=AWS4-HMAC-SHA256'),
    )
  })
})

describe('requireCompleteAuthorization()', () => {
  const headers = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }

  it('returns complete parts unchanged', () => {
    assert.deepEqual(requireCompleteAuthorization(expected, headers), expected)
  })

  it('accepts a Date header in place of X-Amz-Date', () => {
    assert.deepEqual(requireCompleteAuthorization(expected, { host: 'h', date: 'Sun, 30 Aug 2015 12:36:00 GMT' }), expected)
  })

  it('lists each missing part in AWS order', () => {
    assert.throws(
      () => requireCompleteAuthorization({ credential }, headers),
      incomplete("Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"),
    )
    assert.throws(
      () => requireCompleteAuthorization({ signature, signedHeaders: ['host'] }, { host: 'h' }),
      incomplete("Authorization header requires 'Credential' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"),
    )
  })

  it('requires host among the signed headers', () => {
    assert.throws(
      () => requireCompleteAuthorization({ ...expected, signedHeaders: ['x-amz-date'] }, headers),
      incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."),
    )
  })

  it('requires a present X-Amz-Security-Token to be signed', () => {
    const withToken = { ...headers, 'x-amz-security-token': 'token' }
    assert.throws(
      () => requireCompleteAuthorization(expected, withToken),
      incomplete("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization when it is present."),
    )
    const signed = { ...expected, signedHeaders: ['host', 'x-amz-date', 'x-amz-security-token'] }
    assert.deepEqual(requireCompleteAuthorization(signed, withToken), signed)
  })
})
