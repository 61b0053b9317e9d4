// The one error type that carries wire meaning: an AWS exception name and a client-safe message.
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

/** Thrown by any layer when the AWS meaning is known; `dispatch` turns it into the wire reply. */
export class KmsError extends Error {
  override readonly name: string
  constructor(name: KmsExceptionName, message: string) {
    super(message)
    this.name = name
  }
}

export type KmsExceptionName = ModelExceptionName | ProtocolExceptionName

/** True when the model marks the exception as a server fault (sent with a 5xx status). */
export function isServerFault(name: string): boolean {
  const shape = wireModel.shapes[name]
  return shape?.type === 'structure' && shape.fault === true
}
