// The official AWS SigV4 test suite (vectors in aws-test-suite.vectors.ts): each request must produce the suite's
// canonical request, string to sign and signature, must verify, and must fail with one signature digit changed.
import type { IncomingHttpHeaders } from 'node:http'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { canonicalRequest } from './canonical-request.js'
import { payloadHash } from './payload-hash.js'
import { computeSignature } from './signature.js'
import { deriveSigningKey } from './signing-key.js'
import { stringToSign } from './string-to-sign.js'
import { verifySigV4 } from './verify.js'
import { vectors } from './aws-test-suite.vectors.js'
import type { Vector } from './aws-test-suite.vectors.js'

const accessKeyId = 'AKIDEXAMPLE'
const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const amzDate = '20150830T123600Z'
const scope = '20150830/us-east-1/service/aws4_request'

/** The headers as node:http would key them (lowercase), with a repeated header kept as an array. */
function headersOf(vector: Vector): IncomingHttpHeaders {
  const headers: Record<string, string[]> = {}
  for (const [name, value] of vector.headers) (headers[name.toLowerCase()] ??= []).push(value)
  return Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.length === 1 ? values[0] : values]))
}

function authorizationOf(vector: Vector): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${vector.signedHeaders}, Signature=${vector.signature}`
}

describe('the AWS SigV4 test suite', () => {
  const signingKey = deriveSigningKey(secretAccessKey, '20150830', 'us-east-1', 'service')

  it(`covers ${vectors.length} cases with distinct names`, () => {
    assert.equal(new Set(vectors.map((v) => v.name)).size, vectors.length)
    assert.ok(vectors.length >= 30)
  })

  for (const vector of vectors) {
    it(`${vector.name}: canonical request, string to sign and signature match the suite`, () => {
      const headers = headersOf(vector)
      const body = new TextEncoder().encode(vector.request.body)
      const canonical = canonicalRequest({
        method: vector.request.method,
        url: vector.request.url,
        headers,
        signedHeaders: vector.signedHeaders.split(';'),
        payloadHash: payloadHash(body, headers),
      })
      assert.equal(canonical, vector.canonicalRequest.join('\n'))
      const sts = stringToSign(amzDate, scope, canonical)
      assert.equal(sts, ['AWS4-HMAC-SHA256', amzDate, scope, vector.canonicalRequestHash].join('\n'))
      assert.equal(computeSignature(signingKey, sts), vector.signature)
    })

    it(`${vector.name}: verifySigV4 accepts the signed request`, async () => {
      const headers = { ...headersOf(vector), authorization: authorizationOf(vector) }
      const body = new TextEncoder().encode(vector.request.body)
      const verified = await verifySigV4(
        { method: vector.request.method, url: vector.request.url, headers, body },
        {
          regions: new Set(['us-east-1']),
          services: ['service'],
          now: new Date('2015-08-30T12:36:00Z'),
          lookup: async (id) => (id === accessKeyId ? { secretAccessKey } : undefined),
        },
      )
      assert.equal(verified.accessKeyId, accessKeyId)
      assert.equal(verified.service, 'service')
      assert.deepEqual(verified.signedAt, new Date('2015-08-30T12:36:00Z'))
      assert.equal(verified.sessionToken, headersOf(vector)['x-amz-security-token'])
    })

    it(`${vector.name}: verifySigV4 rejects the request with its signature's last digit changed`, async () => {
      const last = vector.signature.at(-1) === '0' ? '1' : '0'
      const authorization = authorizationOf(vector).slice(0, -1) + last
      const headers = { ...headersOf(vector), authorization }
      await assert.rejects(
        verifySigV4(
          { method: vector.request.method, url: vector.request.url, headers, body: new TextEncoder().encode(vector.request.body) },
          {
            regions: new Set(['us-east-1']),
            services: ['service'],
            now: new Date('2015-08-30T12:36:00Z'),
            lookup: async () => ({ secretAccessKey }),
          },
        ),
        { name: 'InvalidSignatureException' },
      )
    })
  }
})
