// The presigned requests are accepted by Trent's own SigV4 verifier and sign exactly the headers Trent requires.
import assert from 'node:assert/strict'
import type { IncomingHttpHeaders } from 'node:http'
import { describe, it } from 'node:test'
import { verifySigV4 } from '../src/http/sigv4/verify.js'
import { presignPool } from './presign.js'

const credentials = { accessKeyId: 'AKIDBENCHTEST0000001', secretAccessKey: 'bench-test-secret-0123456789' }
const to = { url: new URL('http://127.0.0.1:8400'), region: 'us-east-1', credentials }

/** Splits a raw HTTP/1.1 request into what node:http would hand the server. */
function parse(raw: Uint8Array): { requestLine: string; headers: IncomingHttpHeaders; body: Buffer } {
  const text = Buffer.from(raw)
  const end = text.indexOf('\r\n\r\n')
  const [requestLine = '', ...lines] = text.subarray(0, end).toString('latin1').split('\r\n')
  const headers: Record<string, string[]> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).toLowerCase()
    ;(headers[name] ??= []).push(line.slice(colon + 1).trim())
  }
  return { requestLine, headers: headers as IncomingHttpHeaders, body: text.subarray(end + 4) }
}

describe('presignPool()', () => {
  const pool = [
    { target: 'TrentService.Encrypt', body: Buffer.from('{"KeyId":"k","Plaintext":"AAAA"}') },
    { target: 'TrentService.Decrypt', body: Buffer.from('{"CiphertextBlob":"BBBB"}') },
  ]

  it('produces one complete request per pool entry, in order, each passing SigV4 verification', async () => {
    const raws = await presignPool(to, pool)
    assert.equal(raws.length, 2)
    for (const [i, raw] of raws.entries()) {
      const { requestLine, headers, body } = parse(raw)
      assert.equal(requestLine, 'POST / HTTP/1.1')
      assert.deepEqual(headers['x-amz-target'], [pool[i]?.target])
      assert.deepEqual(headers['content-length'], [String(body.length)])
      assert.deepEqual(body, pool[i]?.body)
      const verified = await verifySigV4({ method: 'POST', url: '/', headers, body }, {
        regions: new Set(['us-east-1']), services: ['kms'], now: new Date(),
        lookup: async (id) => (id === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey } : undefined),
      })
      assert.equal(verified.accessKeyId, credentials.accessKeyId)
    }
  })

  it('signs exactly content-type, host, x-amz-date and x-amz-target', async () => {
    const [raw] = await presignPool(to, pool)
    const auth = String(parse(raw as Uint8Array).headers.authorization)
    assert.match(auth, /SignedHeaders=content-type;host;x-amz-date;x-amz-target,/)
  })

  it('fails verification once the body is altered, so the signature covers the payload', async () => {
    const [raw] = await presignPool(to, pool)
    const { headers, body } = parse(raw as Uint8Array)
    const tampered = Buffer.from(body.toString('latin1').replace('AAAA', 'AAAB'))
    await assert.rejects(verifySigV4({ method: 'POST', url: '/', headers, body: tampered }, {
      regions: new Set(['us-east-1']), services: ['kms'], now: new Date(),
      lookup: async () => ({ secretAccessKey: credentials.secretAccessKey }),
    }), { name: 'InvalidSignatureException' })
  })
})
