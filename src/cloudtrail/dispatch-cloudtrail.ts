// The CloudTrail service on the KMS port: requests whose X-Amz-Target names CloudTrail_20131101 are signed
// for the `cloudtrail` service, authorized as cloudtrail:LookupEvents and audited as cloudtrail.amazonaws.com.
import { AccessDeniedError } from '../auth/authorizer.js'
import type { Principal } from '../auth/principal.js'
import { newEventId } from '../audit/event-id.js'
import { buildAuditRecord } from '../audit/build-record.js'
import { auditedReply, type WireError } from '../http/audited-reply.js'
import { authenticate } from '../http/authenticate.js'
import { unexpectedError } from '../http/unexpected-error.js'
import type { RawRequest, RawResponse } from '../http/dispatch.js'
import { firstHeader, targetHeader, parseJsonBody, requestTooLarge } from '../http/protocol.js'
import type { Services } from '../http/services.js'
import { KmsError } from '../wire/kms-error.js'
import { protocolErrors } from '../wire/messages.js'
import { CloudTrailError } from './cloudtrail-error.js'
import { lookupEvents, type LookupEventsOutput } from './lookup-events.js'
import { parseLookupEventsInput, type LookupEventsInput } from './lookup-input.js'

// botocore (the AWS CLI) sends the model's full targetPrefix; the JS SDK v3 sends the service shape name only.
const TARGET_PREFIXES = ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.', 'CloudTrail_20131101.']

const LOOKUP_ACTION = 'cloudtrail:LookupEvents'

/** What LookupEvents records of its own request: the filters, never the page token. */
const LOOKUP_AUDIT = { auditInput: ['LookupAttributes', 'StartTime', 'EndTime', 'EventCategory', 'MaxResults'], auditOutput: [], readOnly: true } as const

function cloudTrailOperation(target: string | undefined): string | undefined {
  const prefix = TARGET_PREFIXES.find((p) => target?.startsWith(p))
  return prefix === undefined ? undefined : target!.slice(prefix.length)
}

export function isCloudTrailTarget(target: string | undefined): boolean {
  return cloudTrailOperation(target) !== undefined
}

interface CloudTrailTrace {
  eventName: string
  principal?: Principal
  region?: string
  input?: LookupEventsInput
  authorizations: string[]
}

async function runLookup(services: Services, req: RawRequest, trace: CloudTrailTrace): Promise<LookupEventsOutput> {
  if (trace.eventName !== 'LookupEvents') {
    throw protocolErrors.unknownOperation()
  }
  if (req.bodyTooLarge) throw requestTooLarge(req.maxBodyBytes)
  const { principal, region } = await authenticate(services, req, 'cloudtrail')
  trace.principal = principal
  trace.region = region
  const exhausted = services.quotas.charge(principal.accountId, region, ['LookupEvents'])
  if (exhausted !== undefined) {
    services.metrics.observeQuotaThrottle(exhausted)
    // CloudTrail's own wording for a throttled call, as its SDKs and CLI show it.
    throw new CloudTrailError('ThrottlingException', 'Rate exceeded')
  }
  trace.input = parseLookupEventsInput(parseJsonBody(req.body) as Record<string, unknown>)
  await authorizeLookup(services, req, principal, region, trace)
  return lookupEvents(services.store, region, principal.accountId, trace.input)
}

/** Like a KMS request: the request facts reach the policy conditions, and the reason (even a denial's) the audit record. */
async function authorizeLookup(services: Services, req: RawRequest, principal: Principal, region: string, trace: CloudTrailTrace): Promise<void> {
  const facts = { sourceIp: req.sourceIp, now: services.clock.now(), region }
  try {
    const decision = await services.authorizer.authorize(principal, null, LOOKUP_ACTION, {}, facts)
    trace.authorizations.push(`${LOOKUP_ACTION}: ${decision.reason}`)
  } catch (e) {
    if (e instanceof AccessDeniedError) trace.authorizations.push(`${LOOKUP_ACTION}: ${e.reason}`)
    throw e
  }
}

function toWireError(services: Services, req: RawRequest, e: unknown): WireError {
  return e instanceof KmsError || e instanceof CloudTrailError ? e : unexpectedError(services, req, e)
}

/** Runs one CloudTrail request. Never throws; like every request, it is answered only once audited. */
export async function dispatchCloudTrail(services: Services, req: RawRequest): Promise<RawResponse> {
  // Only LookupEvents is served; any other name is recorded as Unknown, which also bounds the metric labels.
  const name = cloudTrailOperation(targetHeader(req.headers))
  const trace: CloudTrailTrace = { eventName: name === 'LookupEvents' ? name : 'Unknown', authorizations: [] }
  let output: LookupEventsOutput | undefined
  let error: WireError | undefined
  try {
    output = await runLookup(services, req, trace)
  } catch (e) {
    error = toWireError(services, req, e)
  }
  const eventTime = services.clock.now()
  const record = buildAuditRecord({
    eventSource: 'cloudtrail.amazonaws.com', requestId: req.requestId, eventId: newEventId(eventTime), eventTime,
    region: trace.region ?? services.region, eventName: trace.eventName, sourceIp: req.sourceIp, userAgent: firstHeader(req.headers['user-agent']),
    principal: trace.principal, input: trace.input as Record<string, unknown> | undefined, output: undefined, operation: LOOKUP_AUDIT,
    error, resources: [], authorizations: trace.authorizations,
  })
  return auditedReply(services, req, record, error, JSON.stringify(output ?? {}))
}
