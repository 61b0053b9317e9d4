// The canonical request's parts: URI, query, headers and payload hash, beyond what the AWS suite covers.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KmsError } from '../../wire/kms-error.js'
import { canonicalHeaders } from './canonical-headers.js'
import { canonicalQuery } from './canonical-query.js'
import { canonicalRequest } from './canonical-request.js'
import { canonicalUri } from './canonical-uri.js'
import { payloadHash } from './payload-hash.js'
import { percentDecode, uriEncode } from './uri-encode.js'

const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

describe('canonicalUri()', () => {
  it('encodes an already-encoded wire path once more, as the SDKs sign non-S3 paths', () => {
    assert.equal(canonicalUri('/example%20space/'), '/example%2520space/')
    assert.equal(canonicalUri('/%E1%88%B4'), '/%25E1%2588%25B4')
  })

  it('removes dot segments and empty segments, keeping a trailing slash', () => {
    assert.equal(canonicalUri('/a/./b//c/../d/'), '/a/b/d/')
    assert.equal(canonicalUri('/../..'), '/')
    assert.equal(canonicalUri(''), '/')
    assert.equal(canonicalUri('/a/b'), '/a/b')
  })

  it('encodes reserved characters in segments but not the separators', () => {
    assert.equal(canonicalUri("/a+b/c:d/e!'()*"), '/a%2Bb/c%3Ad/e%21%27%28%29%2A')
  })
})

describe('canonicalQuery()', () => {
  it('sorts by name then value, by byte order', () => {
    assert.equal(canonicalQuery('b=2&a=2&a=1&B=0'), 'B=0&a=1&a=2&b=2')
  })

  it('gives a name without a value an empty value and drops empty pairs', () => {
    assert.equal(canonicalQuery('flag&&x='), 'flag=&x=')
    assert.equal(canonicalQuery(''), '')
  })

  it('re-encodes names and values to RFC 3986, upper-case hex, %20 for space, literal + as %2B', () => {
    assert.equal(canonicalQuery('k=a%2fb%7E&s=two%20words&p=a+b'), 'k=a%2Fb~&p=a%2Bb&s=two%20words')
  })

  it('keeps a malformed escape as literal text instead of throwing', () => {
    assert.equal(canonicalQuery('a=%zz&b=%E1%88'), 'a=%25zz&b=%E1%88')
  })
})

describe('canonicalHeaders()', () => {
  it('emits exactly the signed headers, in the order given, with values trimmed and spaces collapsed', () => {
    const headers = { host: 'h', 'x-amz-date': 'd', 'my-header': '  a \t  b  ', unsigned: 'x' }
    assert.equal(canonicalHeaders(headers, ['host', 'my-header', 'x-amz-date']), 'host:h\nmy-header:a b\nx-amz-date:d\n')
  })

  it('joins repeated headers with a bare comma and gives an absent one an empty value', () => {
    assert.equal(canonicalHeaders({ a: [' 1 ', '2'] }, ['a', 'missing']), 'a:1,2\nmissing:\n')
  })

  it('treats a signed name that only the prototype has (constructor, __proto__) as absent, not as a crash', () => {
    // node:http's header map is a plain object, so `headers.constructor` is Object itself.
    const headers: Record<string, string> = { host: 'h' }
    assert.equal(canonicalHeaders(headers, ['host', 'constructor', '__proto__']), 'host:h\nconstructor:\n__proto__:\n')
  })
})

describe('payloadHash()', () => {
  it('hashes the body', () => {
    assert.equal(payloadHash(new Uint8Array(), {}), emptyHash)
  })

  it('accepts a matching x-amz-content-sha256 and rejects anything else', () => {
    assert.equal(payloadHash(new Uint8Array(), { 'x-amz-content-sha256': emptyHash }), emptyHash)
    for (const claimed of ['UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', emptyHash.toUpperCase(), '']) {
      assert.throws(() => payloadHash(new Uint8Array(), { 'x-amz-content-sha256': claimed }), (err: unknown) => {
        assert.ok(err instanceof KmsError)
        assert.equal(err.name, 'InvalidSignatureException')
        assert.equal(err.message, "The provided 'x-amz-content-sha256' header does not match what was computed.")
        return true
      })
    }
  })
})

describe('canonicalRequest()', () => {
  it('joins method, URI, query, headers, signed headers and payload hash', () => {
    const text = canonicalRequest({
      method: 'post',
      url: '/a/../b?z=1&a=2',
      headers: { host: 'kms.local', 'x-amz-date': '20150830T123600Z' },
      signedHeaders: ['host', 'x-amz-date'],
      payloadHash: emptyHash,
    })
    assert.equal(text, `POST\n/b\na=2&z=1\nhost:kms.local\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${emptyHash}`)
  })
})

describe('uriEncode() and percentDecode()', () => {
  it('round-trip arbitrary bytes', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    assert.deepEqual(new Uint8Array(percentDecode(uriEncode(bytes))), bytes)
    assert.equal(uriEncode('-._~AZaz09 /%'), '-._~AZaz09%20%2F%25')
  })
})
