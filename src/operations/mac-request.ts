// The checks GenerateMac and VerifyMac share: an Enabled GENERATE_VERIFY_MAC key whose spec pairs with
// the requested MAC algorithm (HMAC_256 ↔ HMAC_SHA_256, and so on).
import type { MacHash } from '../crypto/hmac.js'
import { requireUsage } from '../keys/key-state.js'
import type { KeyRecord } from '../keys/key.js'
import type { MacAlgorithmSpec } from '../wire/types.generated.js'
import { macHashOf } from './algorithms.js'
import { incompatibleAlgorithm } from './key-pair-crypto.js'
import { keySpecProfile } from './key-specs.js'

/** Throws InvalidKeyUsageException (the pipeline checked the key state); returns the hash. */
export function requireMacKey(key: KeyRecord, algorithm: MacAlgorithmSpec, operation: 'GenerateMac' | 'VerifyMac'): MacHash {
  requireUsage(key, 'GENERATE_VERIFY_MAC', operation)
  if (!keySpecProfile(key.keySpec).macAlgorithms.includes(algorithm)) throw incompatibleAlgorithm(algorithm, key)
  return macHashOf(algorithm)
}
