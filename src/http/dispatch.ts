// THE pipeline: authenticate → decode → run operation (which authorizes) → audit → encode.
// Cross-cutting work lives here once; it is the only place that catches errors and picks a status.
import type { IncomingHttpHeaders } from 'node:http'
import { AccessDeniedError, type RequestFacts } from '../auth/authorizer.js'
import type { Principal } from '../auth/principal.js'
import { buildAuditRecord } from '../audit/build-record.js'
import { newEventId } from '../audit/event-id.js'
import { dispatchCloudTrail, isCloudTrailTarget } from '../cloudtrail/dispatch-cloudtrail.js'
import { dispatchPeer, isPeerTarget } from '../peers/dispatch-peer.js'
import { keyArn, type KeyRecord } from '../keys/key.js'
import { checksKeyStateItself, requireKeyState } from '../keys/key-state.js'
import type { OperationContext } from '../operations/operation.js'
import { KmsError } from '../wire/kms-error.js'
import { decodeInput } from '../wire/decode.js'
import { encodeOutput } from '../wire/encode.js'
import { wireModel } from '../wire/model.generated.js'
import type { OperationName } from '../wire/types.generated.js'
import { quotaClassesOf } from '../quotas/request-quotas.js'
import { auditedReply } from './audited-reply.js'
import { requireKeyInReach } from './cross-account.js'
import { authenticate } from './authenticate.js'
import { unexpectedError } from './unexpected-error.js'
import { protocolErrors } from '../wire/messages.js'
import { firstHeader, targetHeader, operationFromTarget, parseJsonBody, requestTooLarge } from './protocol.js'
import type { Services } from './services.js'

export interface RawRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Uint8Array
  sourceIp: string
  requestId: string
  /** performance.now() when the request arrived, for the latency metric. */
  receivedAt?: number
  /** The body was over the size cap and was not kept: the request is refused (and audited) as a ValidationException. */
  bodyTooLarge?: boolean
  /** The body cap in force, for the refusal's message (the default cap when absent). */
  maxBodyBytes?: number
  /** The request came over TLS: aws:SecureTransport is true. */
  secureTransport?: boolean
}

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Mutable facts gathered while a request runs, for the audit record and the authorize check. */
interface RequestTrace {
  operation?: OperationName
  principal?: Principal
  /** The region the request was signed for, once it is authenticated. */
  region?: string
  input?: Record<string, unknown>
  resources: KeyRecord[]
  authorizations: string[]
  /** Keys an operation that checks state itself (checksKeyStateItself) was allowed but has not yet checked. */
  stateUnchecked: Set<string>
  /** The request has been charged to its account's request quotas. */
  charged?: boolean
}

/** What the request itself tells a policy: one definition for every decision and for the lockout check. */
function factsOf(services: Services, req: RawRequest, trace: RequestTrace): RequestFacts {
  return { sourceIp: req.sourceIp, secureTransport: req.secureTransport ?? false, now: services.clock.now(), region: trace.region ?? services.region, grantTokens: grantTokensOf(trace.input) }
}

function contextFor(services: Services, req: RawRequest, operation: OperationName, principal: Principal, region: string, trace: RequestTrace): OperationContext {
  return {
    requestId: req.requestId,
    principal,
    region,
    regions: services.regions,
    peerRegions: services.peerRegions,
    clock: services.clock,
    random: services.random,
    publicRandom: services.publicRandom,
    store: services.store,
    keyring: services.keyring,
    lastUse: services.lastUse,
    asymmetric: services.asymmetric,
    async authorize(key, action, conditions = {}) {
      // Charged at the first decision, when the key (and so the quota class of a crypto request) is known.
      chargeOnce(services, trace, key?.keySpec)
      // Before anything is recorded: a refused foreign key must leave the same record as an absent one.
      if (key) requireKeyInReach(operation, principal, key)
      try {
        const decision = await services.authorizer.authorize(principal, key, action, conditions, factsOf(services, req, trace))
        if (key) trace.resources.push(key)
        trace.authorizations.push(`${action}: ${decision.reason}`)
      } catch (e) {
        // A denial's structured reason goes to the audit record; the client sees only AWS's message.
        if (e instanceof AccessDeniedError) {
          if (key) trace.resources.push(key)
          trace.authorizations.push(`${action}: ${e.reason}`)
        }
        // Anything else (an invalid grant token) ended the request before the key was judged: the key stays
        // out of the record, so naming another account's key with a bad token cannot reach that account's view.
        throw e
      }
      // The key's state, after the policy allowed the call and before the operation acts (keys/key-state.ts),
      // unless the operation's key-type rule comes first: then the operation must call checkKeyState.
      if (key && checksKeyStateItself(operation)) trace.stateUnchecked.add(key.keyId)
      else if (key) requireKeyState(operation, key, conditions.keyRole)
    },
    checkKeyState(key, role) {
      requireKeyState(operation, key, role)
      trace.stateUnchecked.delete(key.keyId)
    },
    noteResource(key) {
      trace.resources.push(key)
    },
    auditServiceEvent: (record) => services.auditLog.write(record),
    requestFacts: () => factsOf(services, req, trace),
  }
}

/** Runs the operation; returns its output and the encoded reply body (so an unencodable result is a fault, audited as one). */
async function runRequest(services: Services, req: RawRequest, trace: RequestTrace): Promise<{ output: unknown; body: string }> {
  const name = operationFromTarget(targetHeader(req.headers))
  trace.operation = name
  if (req.bodyTooLarge) throw requestTooLarge(req.maxBodyBytes)
  const { principal, region } = await authenticate(services, req)
  trace.principal = principal
  trace.region = region
  const operation = services.registry.get(name)
  if (!operation) throw protocolErrors.notServed(name)
  const def = wireModel.operations[name]!
  const input = decodeInput(def.input, parseJsonBody(req.body))
  trace.input = input
  const ctx = contextFor(services, req, name, principal, region, trace)
  const output = await operation.run(ctx, input as never)
  if (trace.authorizations.length === 0) {
    // An operation that never asked for a decision is a bug: fail closed.
    throw new Error(`${name} returned without calling authorize`)
  }
  if (trace.stateUnchecked.size > 0) throw new Error(`${name} returned without checking its key's state`)
  return { output, body: encodeOutput(def.output, output) }
}

/**
 * Charges the request to its account's request quotas once; throws ThrottlingException (counted by class in
 * /metrics) when a class it draws from is exhausted. Cross-account calls count against the caller's account, as in AWS.
 */
function chargeOnce(services: Services, trace: RequestTrace, keySpec: string | undefined): void {
  if (trace.charged || !trace.principal || !trace.operation) return
  trace.charged = true
  const exhausted = services.quotas.charge(trace.principal.accountId, trace.region ?? services.region, quotaClassesOf(trace.operation, keySpec, trace.input?.KeyPairSpec))
  if (exhausted === undefined) return
  services.metrics.observeQuotaThrottle(exhausted)
  throw protocolErrors.throttled()
}

function grantTokensOf(input: Record<string, unknown> | undefined): readonly string[] | undefined {
  const tokens = input?.GrantTokens
  return Array.isArray(tokens) ? (tokens as string[]) : undefined
}

/** Runs one request through the whole pipeline. Never throws; every outcome is audited before it is returned. */
export async function dispatch(services: Services, req: RawRequest): Promise<RawResponse> {
  if (isCloudTrailTarget(targetHeader(req.headers))) return dispatchCloudTrail(services, req)
  // The peer service (another Trent deployment's calls for multi-Region keys), before KMS routing.
  if (isPeerTarget(targetHeader(req.headers))) return dispatchPeer(services, req)
  const trace: RequestTrace = { resources: [], authorizations: [], stateUnchecked: new Set() }
  let result: { output: unknown; body: string } | undefined
  let error: KmsError | undefined
  try {
    result = await runRequest(services, req, trace)
  } catch (e) {
    error = toKmsError(services, req, e)
    // An authenticated request that failed before any decision still counts against its account's quota, so a
    // flood of invalid signed requests is throttled (and, being signed, still audited one by one).
    if (error.name !== 'ThrottlingException') {
      try {
        chargeOnce(services, trace, undefined)
      } catch (throttled) {
        error = toKmsError(services, req, throttled)
      }
    }
  }
  const operation = trace.operation ? services.registry.get(trace.operation) : undefined
  const eventTime = services.clock.now()
  const record = buildAuditRecord({
    requestId: req.requestId, eventId: newEventId(eventTime), eventTime, region: trace.region ?? services.region,
    eventName: trace.operation ?? 'Unknown', sourceIp: req.sourceIp, userAgent: firstHeader(req.headers['user-agent']),
    principal: trace.principal, input: trace.input, output: result?.output, operation, error,
    resources: trace.resources.map((k) => ({ arn: keyArn(k), accountId: k.accountId })), authorizations: trace.authorizations,
  })
  const response = await auditedReply(services, req, record, error, result?.body ?? '')
  // Only a use that reached its caller, with its record durable, counts (GetKeyLastUsage); memory only.
  if (response.status === 200 && trace.operation) {
    services.lastUse.noteSuccess(trace.operation, trace.resources, { usedAt: eventTime, eventId: record.eventID, requestId: req.requestId })
  }
  return response
}

function toKmsError(services: Services, req: RawRequest, e: unknown): KmsError {
  return e instanceof KmsError ? e : unexpectedError(services, req, e)
}
