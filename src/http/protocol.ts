// The AWS JSON 1.1 protocol at the edge: which operation a request targets, its JSON body, and error replies.
import { DEFAULT_MAX_BODY_BYTES } from '../config/server-limits.js'
import { isServerFault } from '../wire/kms-error.js'
import { INTERNAL_ERROR_MESSAGE, protocolErrors } from '../wire/messages.js'
import { wireModel } from '../wire/model.generated.js'
import type { OperationName } from '../wire/types.generated.js'

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1'
export { INTERNAL_ERROR_MESSAGE }

/** The default body cap (TRENT_MAX_BODY_BYTES sets another). */
export const MAX_BODY_BYTES = DEFAULT_MAX_BODY_BYTES

/** The refusal of a body over the cap (the server drops such bodies unread; dispatch audits the refusal). */
export function requestTooLarge(maxBytes = MAX_BODY_BYTES): Error {
  return protocolErrors.requestTooLarge(maxBytes)
}

const TARGET_PREFIX = `${String(wireModel.metadata.targetPrefix)}.`

/** Maps `X-Amz-Target: TrentService.Encrypt` to `Encrypt`; throws UnknownOperationException otherwise. */
export function operationFromTarget(target: string | undefined): OperationName {
  if (target?.startsWith(TARGET_PREFIX)) {
    const name = target.slice(TARGET_PREFIX.length)
    if (Object.prototype.hasOwnProperty.call(wireModel.operations, name)) return name as OperationName
  }
  throw protocolErrors.unknownOperation()
}

/** One header's value; node:http gives an array only for a few repeatable headers, none of which Trent reads. */
export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

/**
 * X-Amz-Target as the signature covers it: repeated headers joined with ",", as SigV4's canonical form joins
 * them. Reading only the first would run an operation other than the signed value names (a target signed as
 * `TrentService.ListKeys,TrentService.DisableKey` and sent as two headers); joined, it names no operation.
 */
export function targetHeader(headers: Record<string, string | string[] | undefined>): string | undefined {
  const v = headers['x-amz-target']
  return Array.isArray(v) ? v.join(',') : v
}

/** Parses the request body; an empty body means `{}` as AWS allows. Throws SerializationException. */
export function parseJsonBody(body: Uint8Array): unknown {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8').trim()
  if (text === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw protocolErrors.bodyNotJson()
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw protocolErrors.bodyNotObject()
  }
  return parsed
}

/**
 * The one table from exception to status: model faults are 5xx, everything else, including authentication
 * failures, 400 as AWS JSON-protocol services send them (facts §1).
 */
export function statusForError(name: string): number {
  if (name === 'DependencyTimeoutException') return 503
  if (isServerFault(name)) return 500
  return 400
}

/** An error as the client receives it; `hasMessage: false` is an AWS exception sent without a message member. */
export interface WireError {
  name: string
  message: string
  hasMessage?: boolean
}

/** `{"__type", "message"}`, or `{"__type"}` alone where AWS sends no message. */
export function errorBody(error: WireError): string {
  if (error.hasMessage === false) return JSON.stringify({ __type: error.name })
  return JSON.stringify({ __type: error.name, message: error.message })
}
