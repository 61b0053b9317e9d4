// verifySigV4() with the RFC 1123 Date header in place of X-Amz-Date. The canonical request is written out by hand;
// only the final HMAC comes from the SDK's signer.
import { createHash } from 'node:crypto'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SignatureV4 } from '@smithy/signature-v4'
import { verifySigV4 } from './verify.js'
import type { SignedRequest } from './verify.js'
import {
  NodeSha256, accessKeyId, assertKmsError, body, host, mismatch, options, secretAccessKey, signedAt, withHeaders,
} from './sdk-signer.test-support.js'

describe('verifySigV4() with the Date header instead of X-Amz-Date', () => {
  const date = 'Wed, 01 May 2024 10:00:00 GMT'
  const bodyHash = createHash('sha256').update(body).digest('hex')
  const canonical = `POST\n/\n\ndate:${date}\nhost:${host}\n\ndate;host\n${bodyHash}`
  const scope = '20240501/us-east-1/kms/aws4_request'
  const toSign = `AWS4-HMAC-SHA256\n20240501T100000Z\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`

  async function dateSigned(): Promise<SignedRequest> {
    const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, sha256: NodeSha256 })
    const signature = await signer.sign(toSign, { signingDate: signedAt })
    const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=date;host, Signature=${signature}`
    return { method: 'POST', url: '/', headers: { host, date, authorization }, body }
  }

  it('accepts an RFC 1123 Date header', async () => {
    const verified = await verifySigV4(await dateSigned(), options())
    assert.deepEqual(verified.signedAt, signedAt)
  })

  it('rejects a tampered Date header', async () => {
    const req = await dateSigned()
    const later = withHeaders(req, { date: 'Wed, 01 May 2024 10:00:01 GMT' })
    await assertKmsError(verifySigV4(later, options()), 'InvalidSignatureException', mismatch, req)
  })

  it('applies the clock-skew window to the Date header', async () => {
    const req = await dateSigned()
    await assertKmsError(
      verifySigV4(req, options({ now: new Date('2024-05-01T10:20:00Z') })),
      'InvalidSignatureException',
      'Signature expired: 20240501T100000Z is now earlier than 20240501T100500Z (20240501T102000Z - 15 min.)',
      req,
    )
  })
})
