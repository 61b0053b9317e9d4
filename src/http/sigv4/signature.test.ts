// computeSignature() and the constant-time isSameSignature().
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { computeSignature, isSameSignature } from './signature.js'
import { deriveSigningKey } from './signing-key.js'

describe('computeSignature()', () => {
  it('signs the get-vanilla string to sign of the AWS suite', () => {
    const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'service')
    const sts = 'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63'
    assert.equal(computeSignature(key, sts), '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')
  })
})

describe('isSameSignature()', () => {
  const sig = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'

  it('accepts only the identical string', () => {
    assert.equal(isSameSignature(sig, sig), true)
    assert.equal(isSameSignature(sig, sig.slice(0, -1) + '2'), false)
    assert.equal(isSameSignature(sig, '6' + sig.slice(1)), false)
    assert.equal(isSameSignature(sig, sig.toUpperCase()), false)
  })

  it('treats any length difference as a mismatch', () => {
    assert.equal(isSameSignature(sig, ''), false)
    assert.equal(isSameSignature(sig, sig.slice(0, -1)), false)
    assert.equal(isSameSignature(sig, sig + '0'), false)
  })
})
