// Test-only: a harness with one peer link, and peer calls signed with that link's credential.
import type { PeerLink } from '../config/peer-config.js'
import { createHarness, signedDispatch, type CallResult, type Credentials, type Harness } from '../../test/support/harness.js'
import { PEER_SIGNING_SERVICE, PEER_TARGET_PREFIX } from './wire.js'

/** The peer deployment serving ap-northeast-1, as this deployment's TRENT_PEERS names it. */
export const PEER_LINK: PeerLink = {
  region: 'ap-northeast-1', endpoint: 'http://127.0.0.1:1', accessKeyId: 'PEERLINKAPNE1000001', secretAccessKey: 'peer-link-secret-for-ap-northeast-1-0123456789',
}

export interface PeerHarness extends Harness {
  /** Signs `TrentPeer_20261201.<operation>` for `region` (default eu-west-1) with the link credential (or `credentials`). */
  peer(operation: string, body: unknown, options?: { region?: string; credentials?: Credentials; service?: string; raw?: string }): Promise<CallResult>
}

export async function createPeerHarness(): Promise<PeerHarness> {
  const h = await createHarness({ peers: [PEER_LINK] })
  let counter = 0
  return {
    ...h,
    peer: (operation, body, options = {}) => signedDispatch(h.services, {
      service: options.service ?? PEER_SIGNING_SERVICE, target: `${PEER_TARGET_PREFIX}${operation}`,
      body: new TextEncoder().encode(options.raw ?? JSON.stringify(body)), credentials: options.credentials ?? PEER_LINK,
      now: h.clock.now(), requestId: `peer-${++counter}`, region: options.region ?? 'eu-west-1',
    }),
  }
}
