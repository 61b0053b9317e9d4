// The AWS JSON 1.1 edge: target parsing, body parsing, the status table and the error body.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { KmsError } from '../wire/kms-error.js'
import { INTERNAL_ERROR_MESSAGE, errorBody, operationFromTarget, parseJsonBody, statusForError } from './protocol.js'

function throwsKms(fn: () => unknown, name: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof KmsError && e.name === name && e.message === message)
}

const bytes = (s: string) => new TextEncoder().encode(s)

describe('operationFromTarget()', () => {
  it('maps TrentService.<Operation> to the operation name', () => {
    assert.equal(operationFromTarget('TrentService.Encrypt'), 'Encrypt')
    assert.equal(operationFromTarget('TrentService.GetKeyLastUsage'), 'GetKeyLastUsage')
  })

  it('rejects missing, foreign, unknown and prototype-named targets', () => {
    const message = 'The requested operation is not recognized by the service.'
    for (const target of [undefined, '', 'Encrypt', 'TrentService.', 'TrentService.encrypt', 'KMS.Encrypt', 'TrentService.Nope', 'TrentService.constructor', 'TrentService.__proto__']) {
      throwsKms(() => operationFromTarget(target), 'UnknownOperationException', message)
    }
  })
})

describe('parseJsonBody()', () => {
  it('reads an empty or blank body as {}', () => {
    assert.deepEqual(parseJsonBody(new Uint8Array()), {})
    assert.deepEqual(parseJsonBody(bytes(' \n\t ')), {})
  })

  it('parses a JSON object, also from a view into a larger buffer', () => {
    assert.deepEqual(parseJsonBody(bytes('{"KeyId":"k"}')), { KeyId: 'k' })
    const big = Buffer.from('xx{"a":1}yy')
    assert.deepEqual(parseJsonBody(big.subarray(2, 9)), { a: 1 })
  })

  it('rejects malformed JSON and non-object bodies with SerializationException', () => {
    throwsKms(() => parseJsonBody(bytes('{"KeyId":')), 'SerializationException', 'Request body is not valid JSON.')
    throwsKms(() => parseJsonBody(new Uint8Array([0xff, 0xfe])), 'SerializationException', 'Request body is not valid JSON.')
    for (const body of ['[]', '[{}]', 'null', '42', '"text"', 'true']) {
      throwsKms(() => parseJsonBody(bytes(body)), 'SerializationException', 'Request body must be a JSON object.')
    }
  })
})

describe('statusForError()', () => {
  it('sends 5xx only for the model\'s server faults', () => {
    assert.equal(statusForError('KMSInternalException'), 500)
    assert.equal(statusForError('KeyUnavailableException'), 500)
    assert.equal(statusForError('DependencyTimeoutException'), 503)
  })

  it('sends 400 for every client error, including authentication and unknown names', () => {
    for (const name of ['NotFoundException', 'ValidationException', 'SerializationException', 'AccessDeniedException', 'DisabledException',
      'KMSInvalidStateException', 'DryRunOperationException', 'InvalidSignatureException', 'UnknownOperationException', 'ThrottlingException', 'Whatever']) {
      assert.equal(statusForError(name), 400, name)
    }
  })
})

describe('errorBody()', () => {
  it('is the bare shape name and the message', () => {
    assert.equal(errorBody(new KmsError('NotFoundException', 'Key \'k\' does not exist')), '{"__type":"NotFoundException","message":"Key \'k\' does not exist"}')
  })

  it('has a fixed internal error message that says the request can be retried', () => {
    assert.equal(INTERNAL_ERROR_MESSAGE, 'The request was rejected because an internal exception occurred. The request can be retried.')
  })
})
