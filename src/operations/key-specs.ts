// The AWS key-spec matrix: which usages and algorithms each KeySpec allows (facts §4).
import type { EncryptionAlgorithmSpec, KeyAgreementAlgorithmSpec, KeySpec, KeyUsageType, MacAlgorithmSpec, SigningAlgorithmSpec } from '../wire/types.generated.js'

export interface KeySpecProfile {
  usages: readonly KeyUsageType[]
  /** The usage CreateKey picks when the caller gives none (undefined: KeyUsage is required). */
  defaultUsage?: KeyUsageType
  encryptionAlgorithms: readonly EncryptionAlgorithmSpec[]
  signingAlgorithms: readonly SigningAlgorithmSpec[]
  macAlgorithms: readonly MacAlgorithmSpec[]
  keyAgreementAlgorithms: readonly KeyAgreementAlgorithmSpec[]
  /** False until Trent implements the spec; CreateKey then refuses it. */
  supported: boolean
}

const none = { encryptionAlgorithms: [], signingAlgorithms: [], macAlgorithms: [], keyAgreementAlgorithms: [] } as const

const symmetric: KeySpecProfile = { ...none, usages: ['ENCRYPT_DECRYPT'], defaultUsage: 'ENCRYPT_DECRYPT', encryptionAlgorithms: ['SYMMETRIC_DEFAULT'], supported: true }

const profiles: Partial<Record<KeySpec, KeySpecProfile>> = {
  SYMMETRIC_DEFAULT: symmetric,
}

const unsupported: KeySpecProfile = { ...none, usages: [], supported: false }

export function keySpecProfile(spec: KeySpec): KeySpecProfile {
  return profiles[spec] ?? unsupported
}
