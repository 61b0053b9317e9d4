import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EnvelopeError, toEnvelopeError } from './envelope-error.js'

test('toEnvelopeError() tells the ESDK failures apart by what the ESDK reports', () => {
  const cases: Array<[string, 'encrypt' | 'decrypt', string]> = [
    ['unencryptedDataKey has not been set', 'decrypt', 'WrongKey'],
    ['Not a supported message format version.', 'decrypt', 'NotAnEsdkMessage'],
    ['Incomplete Header', 'decrypt', 'NotAnEsdkMessage'],
    ['Unsupported state or unable to authenticate data', 'decrypt', 'Tampered'],
    ['Invalid Signature', 'decrypt', 'Tampered'],
  ]
  for (const [message, doing, failure] of cases) assert.equal(toEnvelopeError(new Error(message), doing).failure, failure, message)
})

test('toEnvelopeError() reports the first KMS exception the ESDK collected, without its stack trace', () => {
  const collected = new Error('Unable to decrypt data key and one or more KMS CMKs had an error. \n  Error #1 \n AccessDeniedException: not allowed\n    at Foo (/x/y.js:1:2)\n')
  const e = toEnvelopeError(collected, 'decrypt')
  assert.equal(e.failure, 'WrongKey')
  assert.match(e.message, /KMS said: AccessDeniedException: not allowed\)$/)
  assert.doesNotMatch(e.message, /y\.js/)
  const sdk = Object.assign(new Error('Key is disabled'), { name: 'DisabledException', $metadata: {} })
  assert.deepEqual([toEnvelopeError(sdk, 'encrypt').failure, toEnvelopeError(sdk, 'encrypt').message], ['KmsFailure', 'KMS refused the call: DisabledException: Key is disabled'])
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', $metadata: {} })
  assert.equal(toEnvelopeError(refused, 'encrypt').message, 'could not reach KMS: connect ECONNREFUSED 127.0.0.1:1')
  const own = new EnvelopeError('ContextMismatch', 'kept')
  assert.equal(toEnvelopeError(own, 'decrypt'), own)
})
