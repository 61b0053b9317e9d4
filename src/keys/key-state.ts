// The key-state table: for every KMS operation, what each key state lets it do, with the exact exception
// AWS sends (aws-kms-facts.md §5). The pipeline consults it on every decision about a key (http/dispatch.ts),
// after the policy allowed the call and before the operation acts, so no operation can forget it; the few
// operations whose key-type rule AWS applies first call it themselves, and the pipeline checks that they did.
// Choices where §5 is silent are recorded in docs/architecture-notes.md ("Key states").
import type { KmsError } from '../wire/kms-error.js'
import { keyErrors } from '../wire/messages.js'
import type { OperationName } from '../wire/types.generated.js'
import { keyArn, type KeyRecord, type KeyState, type KeyUsageType } from './key.js'

/**
 * What a key state does to an operation: go ahead, or the exception AWS answers. `unsupported` is the bare
 * UnsupportedOperationException AWS gives rotation and import operations on a key of a custom key store,
 * the only keys that are Unavailable.
 */
export type StateOutcome = 'ok' | 'disabled' | 'invalidState' | 'notPendingDeletion' | 'unsupported'

export type StateRule = Readonly<Record<KeyState, StateOutcome>>

/** The operation names no key (CreateKey, ListKeys …) or a custom key store, which Trent does not serve. */
export const NO_KEY = 'no key'

/**
 * Which of an operation's keys a decision is about, where the table treats them differently.
 * `aliasCurrentTarget`: the key UpdateAlias moves an alias away from (any state; only the new target is checked).
 */
export type KeyRole = 'aliasCurrentTarget'

export const KEY_STATES: readonly KeyState[] = [
  'Enabled', 'Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'PendingImport', 'Unavailable', 'Creating', 'Updating',
]

/**
 * A rule allowing `ok`, answering DisabledException for `disabled`, the bare UnsupportedOperationException for
 * an Unavailable key when `unavailableUnsupported`, and `rest` for every other state.
 */
function rule(ok: readonly KeyState[], options: { disabled?: boolean; unavailableUnsupported?: boolean; rest?: StateOutcome } = {}): StateRule {
  const entries = KEY_STATES.map((state): [KeyState, StateOutcome] => {
    if (ok.includes(state)) return [state, 'ok']
    if (state === 'Disabled' && options.disabled) return [state, 'disabled']
    if (state === 'Unavailable' && options.unavailableUnsupported) return [state, 'unsupported']
    return [state, options.rest ?? 'invalidState']
  })
  return Object.fromEntries(entries) as Record<KeyState, StateOutcome>
}

const ANY_STATE = rule(KEY_STATES)
/** Encrypt, Decrypt, ReEncrypt, GenerateDataKey*, Sign, Verify, GenerateMac, VerifyMac, GetPublicKey, DeriveSharedSecret. */
const CRYPTO = rule(['Enabled', 'Updating'], { disabled: true })
/** As crypto, and a key whose custom key store is disconnected may still be granted. */
const CREATE_GRANT = rule(['Enabled', 'Updating', 'Unavailable'], { disabled: true })
/** EnableKey, DisableKey: an Unavailable key succeeds, its state changing only once its store is available again. */
const TOGGLE = rule(['Enabled', 'Disabled', 'Unavailable'])
const SCHEDULE_DELETION = rule(['Enabled', 'Disabled', 'PendingImport', 'Unavailable', 'Creating'])
const CANCEL_DELETION = rule(['PendingDeletion', 'PendingReplicaDeletion'], { rest: 'notPendingDeletion' })
/** CreateAlias, TagResource, UntagResource, UpdateKeyDescription, and UpdateAlias's new target. */
const NOT_PENDING_DELETION = rule(['Enabled', 'Disabled', 'PendingImport', 'Unavailable', 'Creating', 'Updating'])
/**
 * Enable/DisableKeyRotation. A PendingImport key has origin EXTERNAL, for which AWS answers UnsupportedOperation
 * `<arn> origin is EXTERNAL which is not valid for this operation.`: the operation's own origin rule gives it
 * (it applies to EXTERNAL keys in every state), so the state lets it through.
 */
const ROTATION_SETTING = rule(['Enabled', 'Updating', 'PendingImport'], { disabled: true, unavailableUnsupported: true })
/** GetKeyRotationStatus (PendingImport as for the rotation setting); ListKeyRotations follows it. */
const ROTATION_READ = rule(['Enabled', 'Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'PendingImport', 'Creating', 'Updating'], { unavailableUnsupported: true })
/**
 * RotateKeyOnDemand: as the documented rotation setting, but a key waiting for material cannot rotate, nor one
 * whose primary Region is being updated (AWS is silent; rotation then waits until the set is settled).
 */
const ROTATE_NOW = rule(['Enabled'], { disabled: true, unavailableUnsupported: true })
const GET_IMPORT_PARAMETERS = rule(['Enabled', 'Disabled', 'PendingImport'], { unavailableUnsupported: true })
const IMPORT_MATERIAL = rule(['Enabled', 'Disabled', 'PendingImport', 'Updating'], { unavailableUnsupported: true })
/** Deleting imported material of a key pending deletion leaves it pending deletion; in PendingImport it is a no-op. */
const DELETE_IMPORTED = rule(['Enabled', 'Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'PendingImport'], { unavailableUnsupported: true })
const REPLICATE = rule(['Enabled'], { disabled: true })
const UPDATE_PRIMARY_REGION = rule(['Enabled', 'Updating'], { disabled: true })

/** Every operation of the model: its rule, or NO_KEY. The type makes a missing operation a compile error. */
export const keyStateTable: Readonly<Record<OperationName, StateRule | typeof NO_KEY>> = {
  Encrypt: CRYPTO, Decrypt: CRYPTO, ReEncrypt: CRYPTO,
  GenerateDataKey: CRYPTO, GenerateDataKeyWithoutPlaintext: CRYPTO, GenerateDataKeyPair: CRYPTO, GenerateDataKeyPairWithoutPlaintext: CRYPTO,
  Sign: CRYPTO, Verify: CRYPTO, GenerateMac: CRYPTO, VerifyMac: CRYPTO, GetPublicKey: CRYPTO, DeriveSharedSecret: CRYPTO,
  CreateGrant: CREATE_GRANT,
  DescribeKey: ANY_STATE, GetKeyPolicy: ANY_STATE, PutKeyPolicy: ANY_STATE, ListGrants: ANY_STATE, ListKeyPolicies: ANY_STATE,
  ListResourceTags: ANY_STATE, RetireGrant: ANY_STATE, RevokeGrant: ANY_STATE, DeleteAlias: ANY_STATE,
  // The model lists no state exception for GetKeyLastUsage: it reads metadata, as DescribeKey does.
  GetKeyLastUsage: ANY_STATE,
  EnableKey: TOGGLE, DisableKey: TOGGLE,
  ScheduleKeyDeletion: SCHEDULE_DELETION, CancelKeyDeletion: CANCEL_DELETION,
  CreateAlias: NOT_PENDING_DELETION, UpdateAlias: NOT_PENDING_DELETION, TagResource: NOT_PENDING_DELETION,
  UntagResource: NOT_PENDING_DELETION, UpdateKeyDescription: NOT_PENDING_DELETION,
  EnableKeyRotation: ROTATION_SETTING, DisableKeyRotation: ROTATION_SETTING,
  GetKeyRotationStatus: ROTATION_READ, ListKeyRotations: ROTATION_READ, RotateKeyOnDemand: ROTATE_NOW,
  GetParametersForImport: GET_IMPORT_PARAMETERS, ImportKeyMaterial: IMPORT_MATERIAL, DeleteImportedKeyMaterial: DELETE_IMPORTED,
  ReplicateKey: REPLICATE, UpdatePrimaryRegion: UPDATE_PRIMARY_REGION,
  CreateKey: NO_KEY, ListKeys: NO_KEY, ListAliases: NO_KEY, GenerateRandom: NO_KEY, ListRetirableGrants: NO_KEY,
  CreateCustomKeyStore: NO_KEY, ConnectCustomKeyStore: NO_KEY, DisconnectCustomKeyStore: NO_KEY, DeleteCustomKeyStore: NO_KEY,
  DescribeCustomKeyStores: NO_KEY, UpdateCustomKeyStore: NO_KEY,
}

const roleRules: Readonly<Record<KeyRole, StateRule>> = { aliasCurrentTarget: ANY_STATE }

/**
 * Operations whose own key-type or origin rule comes before the key state, as AWS orders them (the developer
 * guide's key-state table, footnotes 7 and 9: a key with imported material, or one that cannot have any, gets
 * UnsupportedOperationException even while disabled or pending deletion). Each calls `ctx.checkKeyState(key)`
 * right after that rule; the pipeline fails the request (KMSInternalException) if one returns without it.
 */
const CHECKED_BY_OPERATION: ReadonlySet<OperationName> = new Set<OperationName>([
  'EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'ListKeyRotations',
  'GetParametersForImport', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial',
])

/** Whether `operation` checks the key state itself (after its key-type rule) rather than in `ctx.authorize`. */
export function checksKeyStateItself(operation: OperationName): boolean {
  return CHECKED_BY_OPERATION.has(operation)
}

const stateWording: Record<KeyState, string> = {
  Enabled: 'is enabled.',
  Disabled: 'is disabled.',
  PendingDeletion: 'is pending deletion.',
  PendingReplicaDeletion: 'is pending replica deletion.',
  PendingImport: 'is pending import.',
  Unavailable: 'is unavailable.',
  Creating: 'is creating.',
  Updating: 'is updating.',
}

/** The exception a state outcome stands for (undefined for `ok`). */
export function stateError(outcome: StateOutcome, key: KeyRecord): KmsError | undefined {
  switch (outcome) {
    case 'ok': return undefined
    case 'disabled': return keyErrors.disabled(keyArn(key))
    case 'notPendingDeletion': return keyErrors.notPendingDeletion(keyArn(key))
    case 'invalidState': return keyErrors.invalidState(keyArn(key), stateWording[key.keyState])
    case 'unsupported': return keyErrors.customKeyStoreUnsupported()
  }
}

/** The rule `operation` applies to a key in the given role. Throws (a server fault) when the table has none. */
export function stateRuleFor(operation: OperationName, role?: KeyRole): StateRule {
  if (role !== undefined) return roleRules[role]
  const rule = keyStateTable[operation]
  // An operation that names a key but has no row is a bug: fail closed rather than allow every state.
  if (rule === undefined || rule === NO_KEY) throw new Error(`no key-state rule for ${operation}`)
  return rule
}

/**
 * Throws the exception AWS sends when `operation` meets `key` in its current state: DisabledException or
 * KMSInvalidStateException with AWS's wording. Returns when the state allows the operation.
 */
export function requireKeyState(operation: OperationName, key: KeyRecord, role?: KeyRole): void {
  const error = stateError(stateRuleFor(operation, role)[key.keyState], key)
  if (error) throw error
}

/** Throws InvalidKeyUsageException unless the key has the usage the operation needs. */
export function requireUsage(key: KeyRecord, usage: KeyUsageType, operation: string): void {
  if (key.keyUsage !== usage) {
    throw keyErrors.wrongUsage(keyArn(key), key.keyUsage, operation)
  }
}

/** Symmetric-only operations (GenerateDataKey, symmetric Encrypt) reject asymmetric and HMAC keys. */
export function requireSymmetricEncryptionKey(key: KeyRecord, operation: string): void {
  requireUsage(key, 'ENCRYPT_DECRYPT', operation)
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw keyErrors.wrongSpec(keyArn(key), key.keySpec, operation)
  }
}

