// THE pipeline: authenticate → decode → run operation (which authorizes) → audit → encode.
// Cross-cutting work lives here once; it is the only place that catches errors and picks a status.
import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { lookupCredential } from '../auth/credentials.js'
import type { Principal } from '../auth/principal.js'
import { buildAuditRecord } from '../audit/build-record.js'
import { keyArn, type KeyRecord } from '../keys/key.js'
import type { OperationContext } from '../operations/operation.js'
import { KmsError } from '../wire/kms-error.js'
import { decodeInput } from '../wire/decode.js'
import { encodeOutput } from '../wire/encode.js'
import { wireModel } from '../wire/model.generated.js'
import type { OperationName } from '../wire/types.generated.js'
import { verifySigV4 } from './sigv4/verify.js'
import { INTERNAL_ERROR_MESSAGE, JSON_CONTENT_TYPE, errorBody, operationFromTarget, parseJsonBody, statusForError } from './protocol.js'
import type { Services } from './services.js'

export interface RawRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Uint8Array
  sourceIp: string
  requestId: string
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
  input?: Record<string, unknown>
  resources: KeyRecord[]
  authorizations: string[]
}

async function authenticate(services: Services, req: RawRequest): Promise<Principal> {
  const verified = await verifySigV4(
    { method: req.method, url: req.url, headers: req.headers, body: req.body },
    {
      region: services.region,
      services: ['kms'],
      now: services.clock.now(),
      lookup: (id) => lookupCredential(services.store, services.rootKey, id),
    },
  )
  return verified.credential.principal
}

function contextFor(services: Services, req: RawRequest, principal: Principal, trace: RequestTrace): OperationContext {
  return {
    requestId: req.requestId,
    principal,
    region: services.region,
    clock: services.clock,
    random: services.random,
    store: services.store,
    keyring: services.keyring,
    async authorize(key, action, conditions = {}) {
      if (key) trace.resources.push(key)
      const decision = await services.authorizer.authorize(principal, key, action, conditions)
      trace.authorizations.push(`${action}: ${decision.reason}`)
    },
    noteResource(key) {
      trace.resources.push(key)
    },
  }
}

async function runRequest(services: Services, req: RawRequest, trace: RequestTrace): Promise<unknown> {
  const name = operationFromTarget(firstHeader(req.headers['x-amz-target']))
  trace.operation = name
  trace.principal = await authenticate(services, req)
  const operation = services.registry.get(name)
  if (!operation) throw new KmsError('UnsupportedOperationException', `${name} is not supported by this Trent server.`)
  const def = wireModel.operations[name]!
  const input = decodeInput(def.input, parseJsonBody(req.body))
  trace.input = input
  const ctx = contextFor(services, req, trace.principal, trace)
  const output = await operation.run(ctx, input as never)
  if (operation.keyScoped && trace.authorizations.length === 0) {
    // A key-scoped operation that never asked for a decision is a bug: fail closed.
    throw new Error(`${name} returned without calling authorize`)
  }
  return output
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

/** Runs one request through the whole pipeline. Never throws; every outcome is audited before it is returned. */
export async function dispatch(services: Services, req: RawRequest): Promise<RawResponse> {
  const trace: RequestTrace = { resources: [], authorizations: [] }
  let output: unknown
  let error: KmsError | undefined
  try {
    output = await runRequest(services, req, trace)
  } catch (e) {
    error = toKmsError(services, req, e)
  }
  const operation = trace.operation ? services.registry.get(trace.operation) : undefined
  const record = buildAuditRecord({
    requestId: req.requestId, eventId: randomUUID(), eventTime: services.clock.now(), region: services.region,
    eventName: trace.operation ?? 'Unknown', sourceIp: req.sourceIp, userAgent: firstHeader(req.headers['user-agent']),
    principal: trace.principal, input: trace.input, output: error ? undefined : output, operation, error,
    resources: trace.resources.map((k) => ({ arn: keyArn(k), accountId: k.accountId })), authorizations: trace.authorizations,
  })
  try {
    await services.auditLog.write(record)
  } catch (e) {
    // Fail closed: an unaudited request gets no result.
    services.logger.error({ requestId: req.requestId, err: String(e) }, 'audit write failed; request refused')
    return reply(req, 500, errorBody(new KmsError('KMSInternalException', INTERNAL_ERROR_MESSAGE)))
  }
  if (error) return reply(req, statusForError(error.name), errorBody(error))
  const def = trace.operation ? wireModel.operations[trace.operation] : undefined
  return reply(req, 200, JSON.stringify(encodeOutput(def?.output ?? null, output)))
}

function toKmsError(services: Services, req: RawRequest, e: unknown): KmsError {
  if (e instanceof KmsError) return e
  services.logger.error({ requestId: req.requestId, err: e instanceof Error ? e.stack : String(e) }, 'unexpected error')
  return new KmsError('KMSInternalException', INTERNAL_ERROR_MESSAGE)
}

function reply(req: RawRequest, status: number, body: string): RawResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': req.requestId }, body }
}
