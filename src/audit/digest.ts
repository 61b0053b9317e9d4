// Signed audit digests: a periodic, signed statement of where the hash chain stood (last hash, record
// count, time range), linked to the previous digest, so truncation and wholesale rewriting are detectable.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto'
import { GENESIS_HASH, canonicalHash, canonicalJson } from './canonical-json.js'

export interface AuditDigest {
  digestVersion: '1'
  /** Position in the digest chain, from 1. */
  digestSequence: number
  digestTime: string
  /** The digest covers records firstSequence..lastSequence; recordCount is 0 when nothing was appended. */
  firstSequence: number
  lastSequence: number
  recordCount: number
  /** eventTime of the first and last covered record; null when the period is empty. */
  startTime: string | null
  endTime: string | null
  /** Hash of record firstSequence - 1 (the genesis hash at the chain's start): where this period hangs on. */
  previousRecordHash: string
  /** Hash of record lastSequence (equals previousRecordHash for an empty period). */
  lastRecordHash: string
  /** Canonical hash of the previous digest, signature included; the genesis hash for the first. */
  previousDigestHash: string
  signingKeyFingerprint: string
  signatureAlgorithm: 'Ed25519'
  /** Base64 Ed25519 signature over the canonical form of every other field. */
  signature: string
}

export type UnsignedDigest = Omit<AuditDigest, 'signature'>

/** Signs digests; the private key never leaves it. */
export interface DigestSigner {
  readonly fingerprint: string
  sign(data: Uint8Array): Uint8Array
}

export interface DigestPeriod {
  previous: AuditDigest | undefined
  head: { sequence: number; hash: string; eventTime?: string }
  /** eventTime of the first record after the previous digest, when there is one. */
  firstEventTime: string | undefined
  now: Date
}

/** Describes the period since `previous` up to the chain head, unsigned. */
export function describePeriod(p: DigestPeriod, fingerprint: string): UnsignedDigest {
  const firstSequence = (p.previous?.lastSequence ?? 0) + 1
  const recordCount = Math.max(0, p.head.sequence - firstSequence + 1)
  return {
    digestVersion: '1',
    digestSequence: (p.previous?.digestSequence ?? 0) + 1,
    digestTime: p.now.toISOString(),
    firstSequence,
    lastSequence: firstSequence + recordCount - 1,
    recordCount,
    startTime: recordCount > 0 ? (p.firstEventTime ?? null) : null,
    endTime: recordCount > 0 ? (p.head.eventTime ?? null) : null,
    previousRecordHash: p.previous?.lastRecordHash ?? GENESIS_HASH,
    lastRecordHash: p.head.hash,
    previousDigestHash: p.previous ? canonicalHash(p.previous) : GENESIS_HASH,
    signingKeyFingerprint: fingerprint,
    signatureAlgorithm: 'Ed25519',
  }
}

export function signDigest(unsigned: UnsignedDigest, signer: DigestSigner): AuditDigest {
  const signature = signer.sign(Buffer.from(canonicalJson(unsigned), 'utf8'))
  return { ...unsigned, signature: Buffer.from(signature).toString('base64') }
}

/** True when `digest` carries a valid signature by `publicKey`. */
export function isDigestSignedBy(digest: AuditDigest, publicKey: KeyObject): boolean {
  const { signature, ...unsigned } = digest
  try {
    return verify(null, Buffer.from(canonicalJson(unsigned), 'utf8'), publicKey, Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}

/** SHA-256 (hex) of the public key's SPKI DER encoding: names a signing key in digests and reports. */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')
}

/** Parses a PEM (SPKI) public key. Throws when it is not one. */
export function parsePublicKeyPem(pem: string): KeyObject {
  return createPublicKey({ key: pem, format: 'pem' })
}
