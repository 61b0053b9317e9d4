// The AWS authentication failures that SigV4 verification can raise, worded as AWS JSON services word them.
// Messages never carry a signature value, a secret or a derived key.
import { KmsError } from '../../wire/kms-error.js'

/** The algorithm suffix AWS appends to IncompleteSignatureException messages (the scheme only, never the rest). */
export const authorizationSuffix = 'Authorization=AWS4-HMAC-SHA256'

export function missingAuthenticationToken(): KmsError {
  return new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token')
}

export function incompleteSignature(message: string): KmsError {
  return new KmsError('IncompleteSignatureException', message)
}

export function invalidSignature(message: string): KmsError {
  return new KmsError('InvalidSignatureException', message)
}

export function unrecognizedClient(): KmsError {
  return new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.')
}

export function signatureMismatch(): KmsError {
  return invalidSignature(
    'The request signature we calculated does not match the signature you provided. ' +
      'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  )
}

export function payloadHashMismatch(): KmsError {
  return invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
}
