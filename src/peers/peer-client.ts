// Calls to a peer deployment's peer service (docs/multi-region-peers-plan.md): JSON POSTed to `<endpoint>/` with
// X-Amz-Target `TrentPeer_20261201.<op>`, SigV4-signed with the link credential for service `trent-peer` in the
// PEER's Region (the receiver checks that scope). Every failure is a PeerCallError whose message is short and
// carries no secret or material: a status, the peer's error type and at most the start of its message.
import type { PeerLink } from '../config/peer-config.js'
import { signRequest } from '../http/sigv4/sign-request.js'
import { PEER_SIGNING_SERVICE, PEER_TARGET_PREFIX, type ForgetRegionalKey, type KeySetSync, type KeySetSyncReply, type PeerOperation, type TransportKeyReply } from './wire.js'

export const PEER_CALL_TIMEOUT_MS = 10_000

export class PeerCallError extends Error {
  override readonly name = 'PeerCallError'
}

export interface PeerClient {
  getTransportKey(): Promise<TransportKeyReply>
  syncKeySet(message: KeySetSync): Promise<KeySetSyncReply>
  forgetRegionalKey(message: ForgetRegionalKey): Promise<void>
}

export interface PeerClientOptions {
  /** The signing time (the deployment's clock, so a test clock moves both sides alike). */
  now: () => Date
  timeoutMs?: number
}

/** Printable ASCII only, at most `max` characters: what of a peer's text may go into a log or last_error. */
function printable(text: string, max: number): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, max)
}

/** The peer's AWS-style error body (`__type`, `message`) as one short line. */
function describeFailure(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { __type?: unknown; message?: unknown; Message?: unknown }
    const type = typeof body.__type === 'string' ? printable(body.__type.split('#').pop() ?? '', 80) : 'error'
    const message = body.message ?? body.Message
    return `HTTP ${status} ${type}${typeof message === 'string' ? `: ${printable(message, 200)}` : ''}`
  } catch {
    return `HTTP ${status}`
  }
}

function isTransportKeyReply(v: unknown): v is TransportKeyReply {
  const r = v as TransportKeyReply
  return typeof v === 'object' && v !== null && typeof r.publicKey === 'string' && typeof r.transportKeyId === 'string'
}

function isSyncReply(v: unknown): v is KeySetSyncReply {
  const r = v as KeySetSyncReply
  return typeof v === 'object' && v !== null && Array.isArray(r.members)
    && r.members.every((m) => typeof m === 'object' && m !== null && typeof m.region === 'string' && typeof m.keyState === 'string')
}

/** A client for the peer deployment of `link`. */
export function peerClient(link: PeerLink, options: PeerClientOptions): PeerClient {
  const url = new URL('/', link.endpoint)
  async function call(operation: PeerOperation, input: unknown): Promise<unknown> {
    const body = JSON.stringify(input)
    const headers = signRequest(
      { host: url.host, url: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${PEER_TARGET_PREFIX}${operation}` }, body },
      link, link.region, PEER_SIGNING_SERVICE, options.now(),
    )
    let response: Response
    try {
      response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? PEER_CALL_TIMEOUT_MS) })
    } catch (e) {
      const cause = (e as { cause?: { code?: unknown } }).cause?.code
      const reason = (e as Error).name === 'TimeoutError' ? 'timed out' : typeof cause === 'string' ? cause : 'unreachable'
      throw new PeerCallError(`${operation} to ${link.region} (${link.endpoint}) failed: ${reason}`)
    }
    const text = await response.text().catch(() => '')
    if (!response.ok) throw new PeerCallError(`${operation} to ${link.region} failed: ${describeFailure(response.status, text)}`)
    if (text === '') return {}
    try {
      return JSON.parse(text) as unknown
    } catch {
      throw new PeerCallError(`${operation} to ${link.region} failed: the reply is not JSON`)
    }
  }
  return {
    async getTransportKey() {
      const reply = await call('GetTransportKey', {})
      if (!isTransportKeyReply(reply)) throw new PeerCallError(`GetTransportKey to ${link.region} failed: malformed reply`)
      return reply
    },
    async syncKeySet(message) {
      const reply = await call('SyncKeySet', message)
      if (!isSyncReply(reply)) throw new PeerCallError(`SyncKeySet to ${link.region} failed: malformed reply`)
      return reply
    },
    async forgetRegionalKey(message) {
      await call('ForgetRegionalKey', message)
    },
  }
}
