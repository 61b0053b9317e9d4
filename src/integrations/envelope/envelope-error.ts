// The few ways opening or making an ESDK message fails, told apart so the CLI and applications can say
// which one happened. The ESDK throws plain Errors; this is the one place that reads them.

export type EnvelopeFailure =
  /** None of the wrapping keys could decrypt the data key: the wrong key, or no permission to use it. */
  | 'WrongKey'
  /** The bytes are an ESDK message that fails authentication: tampered with, truncated or corrupt. */
  | 'Tampered'
  /** The message's encryption context lacks or differs from a pair the caller expected. */
  | 'ContextMismatch'
  /** The bytes are not an AWS Encryption SDK message (or one in a format version this SDK does not read). */
  | 'NotAnEsdkMessage'
  /** The message uses an algorithm suite the commitment policy refuses (a legacy suite without key commitment). */
  | 'UnsupportedSuite'
  /** KMS refused or failed the call (credentials, permissions, disabled key, endpoint unreachable). */
  | 'KmsFailure'

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError'
  readonly failure: EnvelopeFailure

  constructor(failure: EnvelopeFailure, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.failure = failure
  }
}

const notAMessage = [/Incomplete Header/i, /Not a supported message format version/, /Malformed Header/, /Unsupported version/, /Unknown algorithm/i, /Header length/i, /Invalid message type/i, /Unsupported algorithm suite/i]
const tampered = [/unable to authenticate data/, /Invalid Signature/i, /Invalid header auth/i, /Commitment does not match/i, /Invalid frame/i, /Incomplete message/i, /Sequence number/i, /Unexpected end/i, /maxBodySize/i]
const wrongKey = [/unencryptedDataKey has not been set/, /Unable to decrypt data key/]

/**
 * Translates an error the ESDK or the KMS client threw into an EnvelopeError (an EnvelopeError passes
 * through). The message never carries key material or plaintext; for a KMS refusal it carries the KMS
 * exception name and message, not the SDK's stack trace.
 */
export function toEnvelopeError(e: unknown, doing: 'encrypt' | 'decrypt'): EnvelopeError {
  if (e instanceof EnvelopeError) return e
  const message = e instanceof Error ? e.message : String(e)
  if (/Region is missing/.test(message)) return new EnvelopeError('KmsFailure', 'no AWS region is configured: set AWS_REGION (or a region in the AWS_PROFILE profile), or pass --region', { cause: e })
  if (isUnreachable(e)) return new EnvelopeError('KmsFailure', `could not reach KMS: ${firstLine(message)}`, { cause: e })
  const kms = kmsReason(e, message)
  if (doing === 'decrypt' && wrongKey.some((p) => p.test(message))) {
    const why = kms === undefined ? '' : ` (KMS said: ${kms})`
    return new EnvelopeError('WrongKey', `none of the wrapping keys could decrypt this message's data key: wrong key, or no permission to use it${why}`, { cause: e })
  }
  if (/commitment policy/i.test(message) || /non-committing/i.test(message)) {
    return new EnvelopeError('UnsupportedSuite', `the message's algorithm suite is refused by the commitment policy: ${message}`, { cause: e })
  }
  if (doing === 'decrypt' && notAMessage.some((p) => p.test(message))) {
    return new EnvelopeError('NotAnEsdkMessage', 'the input is not an AWS Encryption SDK message', { cause: e })
  }
  if (doing === 'decrypt' && tampered.some((p) => p.test(message))) {
    return new EnvelopeError('Tampered', 'the message failed authentication: it was tampered with, truncated or is corrupt', { cause: e })
  }
  if (kms !== undefined) return new EnvelopeError('KmsFailure', `KMS refused the call: ${kms}`, { cause: e })
  return new EnvelopeError(doing === 'decrypt' ? 'Tampered' : 'KmsFailure', `could not ${doing}: ${firstLine(message)}`, { cause: e })
}

/** A transport failure (no answer from KMS at all), which is not KMS refusing anything. */
function isUnreachable(e: unknown): boolean {
  const { code, name } = e as { code?: unknown; name?: unknown }
  return (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/.test(code)) || name === 'TimeoutError'
}

/** `Name: message` of the KMS exception behind `e`: the SDK error itself, or the first one the ESDK collected. */
function kmsReason(e: unknown, message: string): string | undefined {
  const sdk = e as { $metadata?: unknown; name?: unknown }
  if (e instanceof Error && sdk.$metadata !== undefined && sdk.name !== 'Error') return `${String(sdk.name)}: ${e.message}`
  const collected = /Error #1\s*\n\s*([A-Za-z]+(?:Exception|Error)[^\n]*)/.exec(message)
  return collected?.[1]?.trim()
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim()
}
