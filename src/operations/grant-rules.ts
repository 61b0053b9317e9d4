// CreateGrant's rules (facts §8): which grant operations suit which kind of key, the constraint limits,
// and the wire form of a stored grant (GrantListEntry).
import { createHash } from 'node:crypto'
import { rootArn } from '../auth/principal.js'
import { keyArn, type KeyRecord } from '../keys/key.js'
import type { GrantConstraintSet, GrantRecord } from '../policy/grant.js'
import type { KmsError } from '../wire/kms-error.js'
import { grantErrors, lookupErrors } from '../wire/messages.js'
import type { GrantConstraints, GrantListEntry, GrantOperation } from '../wire/types.generated.js'

export const MAX_GRANTS_PER_KEY = 50_000
const MAX_CONSTRAINT_PAIRS = 8
const MAX_CONSTRAINT_VALUE = 384

const ALWAYS: readonly GrantOperation[] = ['CreateGrant', 'RetireGrant', 'DescribeKey']

/** The grant operations a key of this spec and usage can be granted. */
export function grantableOperations(key: Pick<KeyRecord, 'keySpec' | 'keyUsage'>): readonly GrantOperation[] {
  if (key.keySpec === 'SYMMETRIC_DEFAULT') {
    return [...ALWAYS, 'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext',
      'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']
  }
  switch (key.keyUsage) {
    case 'ENCRYPT_DECRYPT': return [...ALWAYS, 'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey']
    case 'SIGN_VERIFY': return [...ALWAYS, 'Sign', 'Verify', 'GetPublicKey']
    case 'GENERATE_VERIFY_MAC': return [...ALWAYS, 'GenerateMac', 'VerifyMac']
    case 'KEY_AGREEMENT': return [...ALWAYS, 'DeriveSharedSecret', 'GetPublicKey']
  }
}

/** Throws ValidationException when an operation does not suit the key, or constraints are set on a non-symmetric key. */
export function requireOperationsFitKey(key: KeyRecord, operations: readonly GrantOperation[], constraints: GrantConstraintSet | undefined): void {
  const allowed = grantableOperations(key)
  const unfit = operations.filter((op) => !allowed.includes(op))
  if (unfit.length > 0) {
    throw grantErrors.operationsUnfit(unfit, key.keySpec, key.keyUsage)
  }
  if (constraints && key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw grantErrors.contextConstraintsSymmetricOnly()
  }
}

function checkPairs(pairs: Record<string, string> | undefined, member: string): void {
  if (pairs === undefined) return
  if (Object.keys(pairs).length > MAX_CONSTRAINT_PAIRS) {
    throw grantErrors.tooManyConstraintPairs(member, MAX_CONSTRAINT_PAIRS)
  }
  if (Object.values(pairs).some((v) => v.length > MAX_CONSTRAINT_VALUE)) {
    throw grantErrors.constraintValueTooLong(member, MAX_CONSTRAINT_VALUE)
  }
}

/** Checks the wire constraints and returns their domain form; undefined when there are none. */
export function constraintSetOf(constraints: GrantConstraints | undefined): GrantConstraintSet | undefined {
  if (constraints === undefined) return undefined
  if (constraints.SourceArn !== undefined) {
    throw grantErrors.sourceArnConstraint()
  }
  checkPairs(constraints.EncryptionContextEquals, 'EncryptionContextEquals')
  checkPairs(constraints.EncryptionContextSubset, 'EncryptionContextSubset')
  const set: GrantConstraintSet = {}
  if (constraints.EncryptionContextEquals) set.encryptionContextEquals = constraints.EncryptionContextEquals
  if (constraints.EncryptionContextSubset) set.encryptionContextSubset = constraints.EncryptionContextSubset
  return Object.keys(set).length > 0 ? set : undefined
}

function sortedPairs(pairs: Record<string, string> | undefined): [string, string][] | null {
  return pairs ? Object.entries(pairs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null
}

/** A digest of everything but the name: the same Name with the same parameters is the same grant. */
export function grantFingerprint(g: Pick<GrantRecord, 'granteePrincipal' | 'retiringPrincipal' | 'operations' | 'constraints'>): string {
  const canonical = JSON.stringify([g.granteePrincipal, g.retiringPrincipal ?? null, [...g.operations].sort(),
    sortedPairs(g.constraints?.encryptionContextEquals), sortedPairs(g.constraints?.encryptionContextSubset)])
  return createHash('sha256').update(canonical).digest('hex')
}

/** The wire form of a grant, as ListGrants and ListRetirableGrants return it. */
export function toGrantListEntry(grant: GrantRecord, key: Pick<KeyRecord, 'region' | 'accountId' | 'keyId'>): GrantListEntry {
  const entry: GrantListEntry = {
    KeyId: keyArn(key), GrantId: grant.grantId, CreationDate: grant.createdAt, GranteePrincipal: grant.granteePrincipal,
    IssuingAccount: rootArn(grant.issuingAccount), Operations: grant.operations as GrantOperation[],
  }
  if (grant.name !== undefined) entry.Name = grant.name
  if (grant.retiringPrincipal !== undefined) entry.RetiringPrincipal = grant.retiringPrincipal
  if (grant.constraints) {
    entry.Constraints = {}
    if (grant.constraints.encryptionContextEquals) entry.Constraints.EncryptionContextEquals = grant.constraints.encryptionContextEquals
    if (grant.constraints.encryptionContextSubset) entry.Constraints.EncryptionContextSubset = grant.constraints.encryptionContextSubset
  }
  return entry
}

/** Grant ids are 64 lowercase hex characters; anything else is InvalidGrantIdException. */
export function requireGrantIdShape(grantId: string): void {
  if (!/^[0-9a-f]{64}$/.test(grantId)) throw lookupErrors.invalidGrantId()
}

export function grantNotFound(grantId: string): KmsError {
  return lookupErrors.grantNotFound(grantId)
}
