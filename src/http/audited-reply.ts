// The pipeline's last step, shared by every service on the port: make the audit record durable, count the
// request, then reply. Fail closed: when the record cannot be written the caller gets a 500, never a result.
// An unauthenticated failure from a source that is flooding is refused without a record of its own: the
// source guard summarises such requests at intervals instead.
import type { AuditRecord } from '../audit/record.js'
import { protocolErrors } from '../wire/messages.js'
import type { RawRequest, RawResponse } from './dispatch.js'
import { JSON_CONTENT_TYPE, errorBody, statusForError, type WireError } from './protocol.js'
import type { Services } from './services.js'

export function reply(req: RawRequest, status: number, body: string): RawResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': req.requestId }, body }
}

export type { WireError }

/** Writes `record`, then answers with `error` or with `successBody`; a result never leaves unless its record is durable. */
export async function auditedReply(
  services: Services, req: RawRequest, record: AuditRecord, error: WireError | undefined, successBody: string,
): Promise<RawResponse> {
  const elapsed = () => (req.receivedAt === undefined ? 0 : (performance.now() - req.receivedAt) / 1000)
  // Only the caller's own failures count against its source: a server fault (the database down) is not abuse.
  if (error && record.userIdentity === undefined && statusForError(error.name) < 500 && !services.sourceGuard.admit(req.sourceIp)) {
    services.sourceGuard.noteRefused(req.sourceIp, record.eventName, error.name)
    services.metrics.observeSourceThrottle()
    services.metrics.observeRequest(record.eventName, 'ThrottlingException', elapsed())
    return reply(req, statusForError('ThrottlingException'), errorBody(protocolErrors.throttled()))
  }
  try {
    await services.auditLog.write(record)
  } catch (e) {
    services.logger.error({ requestId: req.requestId, err: String(e) }, 'audit write failed; request refused')
    services.metrics.observeRequest(record.eventName, 'AuditWriteFailed', elapsed())
    return reply(req, 500, errorBody(protocolErrors.internal()))
  }
  services.metrics.observeRequest(record.eventName, error ? error.name : 'success', elapsed())
  if (error) return reply(req, statusForError(error.name), errorBody(error))
  return reply(req, 200, successBody)
}
