// Test-only: a harness with one peer link, and peer calls signed with that link's credential.
import { randomBytes } from 'node:crypto'
import type { PeerLink } from '../config/peer-config.js'
import { deriveMaterialId } from '../keys/material-binding.js'
import { TEST_ACCOUNT, createHarness, signedDispatch, type CallResult, type Credentials, type Harness } from '../../test/support/harness.js'
import { wrapForTransport } from './transport-wrap.js'
import { PEER_SIGNING_SERVICE, PEER_TARGET_PREFIX, type KeySetSync, type SyncedVersion } from './wire.js'

/** The peer deployment serving ap-northeast-1, as this deployment's TRENT_PEERS names it. */
export const PEER_LINK: PeerLink = {
  region: 'ap-northeast-1', endpoint: 'http://127.0.0.1:1', accessKeyId: 'PEERLINKAPNE1000001', secretAccessKey: 'peer-link-secret-for-ap-northeast-1-0123456789',
}

export interface PeerHarness extends Harness {
  /** Signs `TrentPeer_20261201.<operation>` for `region` (default eu-west-1) with the link credential (or `credentials`). */
  peer(operation: string, body: unknown, options?: { region?: string; credentials?: Credentials; service?: string; raw?: string }): Promise<CallResult>
}

/** A second peer deployment (its own endpoint) serving two Regions, for the tests of what one link may speak for. */
export const OTHER_PEER_LINKS: PeerLink[] = [
  { region: 'sa-east-1', endpoint: 'http://127.0.0.1:2', accessKeyId: 'PEERLINKSAE1000001', secretAccessKey: 'peer-link-secret-for-sa-east-1-0123456789abc' },
  { region: 'ca-central-1', endpoint: 'http://127.0.0.1:2', accessKeyId: 'PEERLINKCAC1000001', secretAccessKey: 'peer-link-secret-for-ca-central-1-0123456789' },
]

export async function createPeerHarness(extraPeers: PeerLink[] = []): Promise<PeerHarness> {
  const h = await createHarness({ peers: [PEER_LINK, ...extraPeers] })
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

/** The transport public key (SPKI DER) the harness hands its peer, as GetTransportKey returns it. */
export async function transportSpki(h: PeerHarness): Promise<Buffer> {
  return Buffer.from(String((await h.peer('GetTransportKey', {})).body.publicKey), 'base64')
}

/** A SyncKeySet body for `keyId` from the ap-northeast-1 peer (primary and first Region there), replica in eu-west-1. */
export function syncBody(keyId: string, versions: SyncedVersion[], overrides: Partial<KeySetSync> = {}): KeySetSync {
  return {
    keyId, accountId: TEST_ACCOUNT, primaryRegion: PEER_LINK.region, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS',
    createdAt: Date.parse('2026-01-01T00:00:00Z'), currentVersion: versions.at(-1)?.version ?? 0, versions, rotation: { enabled: false },
    regions: [PEER_LINK.region, 'eu-west-1'], firstRegion: PEER_LINK.region, ...overrides,
  }
}

/** Version `version` of `keyId` with fresh material, sealed for the transport key `spki` and `receiverRegion`. */
export function sealedVersion(keyId: string, version: number, spki: Uint8Array, receiverRegion = 'eu-west-1', material = randomBytes(32)): SyncedVersion {
  return {
    version, materialId: deriveMaterialId(2, keyId, material), materialIdFormat: '2', createdAt: Date.parse('2026-01-01T00:00:00Z') + version,
    ...(version > 1 ? { rotation: { type: 'AUTOMATIC' as const, rotatedAt: Date.parse('2026-01-01T00:00:00Z') + version } } : {}),
    material: wrapForTransport(material, spki, { keyId, version, receiverRegion }),
  }
}
