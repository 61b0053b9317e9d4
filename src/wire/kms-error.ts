// The one error type that carries wire meaning: an AWS exception name and a client-safe message.
// Every KmsError is made by a template in messages.ts, so the wording lives in one place.
import { wireModel } from './model.generated.js'
import type { ModelExceptionName } from './types.generated.js'

/** Exceptions that AWS KMS sends but that the service model does not list (protocol, auth, throttling). */
export const protocolExceptions = [
  'ValidationException',
  'SerializationException',
  'AccessDeniedException',
  'UnknownOperationException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'ThrottlingException',
] as const

export type ProtocolExceptionName = (typeof protocolExceptions)[number]

/**
 * Thrown by any layer when the AWS meaning is known; `dispatch` turns it into the wire reply.
 * Without a message it is one of the exceptions AWS sends as a bare `{"__type": …}` (hasMessage false).
 */
export class KmsError extends Error {
  override readonly name: string
  /** False where AWS sends no `message` member at all (the body and the audit record then carry none). */
  readonly hasMessage: boolean
  constructor(name: KmsExceptionName, message?: string) {
    super(message ?? '')
    this.name = name
    this.hasMessage = message !== undefined
  }
}

export type KmsExceptionName = ModelExceptionName | ProtocolExceptionName

/** True when the model marks the exception as a server fault (sent with a 5xx status). */
export function isServerFault(name: string): boolean {
  const shape = wireModel.shapes[name]
  return shape?.type === 'structure' && shape.fault === true
}
