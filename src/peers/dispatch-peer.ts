// The peer service on the KMS port: requests whose X-Amz-Target names TrentPeer_20261201 come from another
// Trent deployment serving other Regions of multi-Region keys (docs/multi-region-peers-plan.md). Shaped like
// the CloudTrail service (cloudtrail/dispatch-cloudtrail.ts): authenticate (with a peer LINK credential,
// authenticate-peer.ts), validate the JSON body strictly (peer-input.ts), act, and answer only once the call,
// allowed or refused, is in this deployment's audit log (eventSource trent-peer, the caller named by its link's
// Region). The record keeps ids, version numbers and Regions only: never material, wrapped bytes or policies.
import { buildAuditRecord } from '../audit/build-record.js'
import { newEventId } from '../audit/event-id.js'
import type { AuditUserIdentity } from '../audit/record.js'
import { auditedReply, type WireError } from '../http/audited-reply.js'
import type { RawRequest, RawResponse } from '../http/dispatch.js'
import { firstHeader, parseJsonBody, requestTooLarge, targetHeader } from '../http/protocol.js'
import type { Services } from '../http/services.js'
import { unexpectedError } from '../http/unexpected-error.js'
import { KmsError } from '../wire/kms-error.js'
import { protocolErrors } from '../wire/messages.js'
import { authenticatePeer, type AuthenticatedPeer } from './authenticate-peer.js'
import { forgetRegionalKey } from './forget-regional-key.js'
import { parseGetTransportKey } from './peer-input.js'
import { syncKeySet } from './sync-key-set.js'
import { transportKeyPair } from './transport-key.js'
import { PEER_OPERATIONS, PEER_TARGET_PREFIX, type PeerOperation, type TransportKeyReply } from './wire.js'

/** What a handler tells the audit record: safe views of its input and output, and the key it was about. */
export interface PeerTrace {
  eventName: PeerOperation | 'Unknown'
  peer?: AuthenticatedPeer
  /** Ids, version numbers and Regions only. */
  requestParameters?: Record<string, unknown>
  responseElements?: Record<string, unknown>
  resources: { arn: string; accountId: string }[]
  accountId?: string
}

export type PeerHandler = (services: Services, peer: AuthenticatedPeer, body: unknown, trace: PeerTrace) => Promise<unknown>

async function getTransportKey(services: Services, _peer: AuthenticatedPeer, body: unknown, trace: PeerTrace): Promise<TransportKeyReply> {
  parseGetTransportKey(body)
  trace.requestParameters = {}
  const pair = await transportKeyPair(services.store, services.rootKey)
  trace.responseElements = { transportKeyId: pair.transportKeyId }
  return { publicKey: pair.publicKeyDer.toString('base64'), transportKeyId: pair.transportKeyId }
}

const HANDLERS: Record<PeerOperation, PeerHandler> = {
  GetTransportKey: getTransportKey,
  SyncKeySet: syncKeySet,
  ForgetRegionalKey: forgetRegionalKey,
}

const READ_ONLY: ReadonlySet<string> = new Set(['GetTransportKey'])

export function isPeerTarget(target: string | undefined): boolean {
  return target?.startsWith(PEER_TARGET_PREFIX) ?? false
}

function peerOperation(target: string | undefined): PeerOperation | undefined {
  const name = target?.slice(PEER_TARGET_PREFIX.length)
  return (PEER_OPERATIONS as readonly string[]).includes(name ?? '') ? (name as PeerOperation) : undefined
}

async function runPeer(services: Services, req: RawRequest, trace: PeerTrace): Promise<unknown> {
  if (trace.eventName === 'Unknown') throw protocolErrors.unknownOperation()
  if (req.bodyTooLarge) throw requestTooLarge(req.maxBodyBytes)
  const peer = await authenticatePeer(services, req)
  trace.peer = peer
  return HANDLERS[trace.eventName](services, peer, parseJsonBody(req.body), trace)
}

/** The peer as the record names it: its link's Region (and the link's access key id, which is not secret). */
function peerIdentity(peer: AuthenticatedPeer, accountId: string | undefined): AuditUserIdentity {
  return {
    type: 'TrentPeer', principalId: `trent-peer/${peer.link.region}`, arn: `trent-peer:${peer.link.region}`,
    accountId: accountId ?? '', accessKeyId: peer.link.accessKeyId, userName: peer.link.region,
  }
}

/** Runs one peer request. Never throws; like every request, it is answered only once audited. */
export async function dispatchPeer(services: Services, req: RawRequest): Promise<RawResponse> {
  // An operation name outside the service is recorded as Unknown, which also bounds the metric labels.
  const trace: PeerTrace = { eventName: peerOperation(targetHeader(req.headers)) ?? 'Unknown', resources: [] }
  let output: unknown
  let error: WireError | undefined
  try {
    output = await runPeer(services, req, trace)
  } catch (e) {
    error = e instanceof KmsError ? e : unexpectedError(services, req, e)
  }
  const eventTime = services.clock.now()
  const input = trace.requestParameters
  const record = buildAuditRecord({
    eventSource: 'trent-peer', requestId: req.requestId, eventId: newEventId(eventTime), eventTime,
    region: trace.peer?.region ?? services.region, eventName: trace.eventName, sourceIp: req.sourceIp, userAgent: firstHeader(req.headers['user-agent']),
    principal: undefined, userIdentity: trace.peer && peerIdentity(trace.peer, trace.accountId),
    input, output: trace.responseElements,
    operation: { auditInput: Object.keys(input ?? {}), auditOutput: Object.keys(trace.responseElements ?? {}), readOnly: READ_ONLY.has(trace.eventName) },
    error, resources: trace.resources, authorizations: trace.peer ? [`trent-peer link ${trace.peer.link.region}`] : [],
  })
  return auditedReply(services, req, record, error, JSON.stringify(output ?? {}))
}
