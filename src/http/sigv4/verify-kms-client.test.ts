// verifySigV4() against the Encrypt request that the real @aws-sdk/client-kms signs (captured, never sent).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KMSClient, EncryptCommand } from '@aws-sdk/client-kms'
import { verifySigV4 } from './verify.js'
import type { SignedRequest } from './verify.js'
import { accessKeyId, assertKmsError, lower, options, secretAccessKey } from './sdk-signer.test-support.js'

describe('verifySigV4() with the real @aws-sdk/client-kms', () => {
  it('accepts the Encrypt request the KMS client signs, session token included', async () => {
    let captured: { method: string; path: string; headers: Record<string, string>; body: Uint8Array } | undefined
    const client = new KMSClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId, secretAccessKey, sessionToken: 'IQoJb3JpZ2luEXAMPLE' },
      maxAttempts: 1,
      requestHandler: {
        async handle(request: { method: string; path: string; headers: Record<string, string>; body: Uint8Array }) {
          captured = request
          throw new Error('captured, not sent')
        },
      },
    })
    await assert.rejects(client.send(new EncryptCommand({ KeyId: 'alias/trent', Plaintext: new Uint8Array([1, 2, 3]) })), /captured/)
    assert.ok(captured)
    const headers = lower(captured.headers)
    const req: SignedRequest = { method: captured.method, url: captured.path, headers, body: captured.body }
    const amzDate = String(headers['x-amz-date'])
    const now = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))
    const verified = await verifySigV4(req, options({ now }))
    assert.equal(verified.sessionToken, 'IQoJb3JpZ2luEXAMPLE')
    assert.equal(verified.service, 'kms')
    const tampered = { ...req, body: new TextEncoder().encode('{"KeyId":"alias/other","Plaintext":"AQID"}') }
    await assertKmsError(
      verifySigV4(tampered, options({ now })),
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    )
  })
})
