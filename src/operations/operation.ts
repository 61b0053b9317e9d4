// What every KMS operation is: its audit allow-list and a run function over a typed input and a context.
import type { AuditRecord } from '../audit/record.js'
import type { RequestFacts } from '../auth/authorizer.js'
import type { Principal } from '../auth/principal.js'
import type { Clock } from '../config/clock.js'
import type { AsymmetricEngine } from '../crypto/asymmetric/engine.js'
import type { Keyring } from '../keys/keyring.js'
import type { LastUseTracker } from '../keys/last-use-tracker.js'
import type { KeyRecord, Tag } from '../keys/key.js'
import type { KeyRole } from '../keys/key-state.js'
import type { GrantRecord, GrantUse } from '../policy/grant.js'
import type { Store } from '../store/store.js'
import type { OperationName, OperationTypes } from '../wire/types.generated.js'

/**
 * Request facts a policy can condition on. Members named like condition keys (`kms:EncryptionAlgorithm`)
 * become policy context as they are; the camelCase members below carry structured facts.
 */
export interface AuthorizationContext {
  /** Becomes kms:EncryptionContext:<key> and kms:EncryptionContextKeys; also checked against grant constraints. */
  encryptionContext?: Record<string, string>
  /** The resource of an account-level check when it is not `*` (the alias ARN of alias operations). */
  resourceArn?: string
  /** CreateGrant: the grant being created, which a grant allowing CreateGrant may not exceed. */
  childGrant?: GrantUse['childGrant']
  /** RetireGrant: the grant being retired, whose own rules decide who may retire it. */
  retiringGrant?: GrantRecord
  /** CreateKey and TagResource: the tags requested, which become aws:RequestTag/<key> and aws:TagKeys. */
  requestTags?: readonly Tag[]
  /** UntagResource: the tag keys being removed, which become aws:TagKeys. */
  requestTagKeys?: readonly string[]
  /** Which of the operation's keys this decision is about, where the key-state table tells them apart (UpdateAlias). */
  keyRole?: KeyRole
  [conditionKey: string]: unknown
}

export interface OperationContext {
  readonly requestId: string
  readonly principal: Principal
  readonly region: string
  /** Every Region this deployment serves (ReplicateKey and UpdatePrimaryRegion name another of them). */
  readonly regions: ReadonlySet<string>
  /** Regions served by peer deployments (TRENT_PEERS): ReplicateKey and UpdatePrimaryRegion may name one (peers/notify-peers.ts). */
  readonly peerRegions: ReadonlySet<string>
  readonly clock: Clock
  /** Secret random bytes (key material, data keys, GenerateRandom); never pooled. */
  readonly random: (n: number) => Uint8Array
  /** Random bytes written in the clear (IVs, KDF nonces); from a pool, so never for secrets. */
  readonly publicRandom: (n: number) => Uint8Array
  readonly store: Store
  readonly keyring: Keyring
  /** Reads of each key's last cryptographic use (GetKeyLastUsage); the pipeline alone records uses. */
  readonly lastUse: Pick<LastUseTracker, 'lastUse' | 'trackingStartDate'>
  /** Asymmetric crypto on a worker pool; never blocks the event loop. */
  readonly asymmetric: AsymmetricEngine
  /**
   * Decides whether the caller may perform `action` on `key` (or, with no key, on the account).
   * Throws AccessDeniedException. Every key-scoped operation must call it before acting. Once allowed, a key
   * is held to the key-state table (keys/key-state.ts): DisabledException or KMSInvalidStateException (see
   * checkKeyState for the operations that check it themselves).
   */
  authorize(key: KeyRecord | null, action: `kms:${string}`, conditions?: AuthorizationContext): Promise<void>
  /**
   * Applies the key-state table to `key` now. Only for the operations that check state themselves, after their
   * key-type or origin rule (keys/key-state.ts checksKeyStateItself); the pipeline fails any of them that
   * returns without it. Throws DisabledException, KMSInvalidStateException or UnsupportedOperationException.
   */
  checkKeyState(key: KeyRecord, role?: KeyRole): void
  /** Adds a key ARN to the audit record's resources. */
  noteResource(key: KeyRecord): void
  /**
   * Makes durable a service event (jobs/service-event.ts keyServiceEvent) that this request causes beside its
   * own record: AWS files one in the other Region of a multi-Region change. Throws when it cannot be written,
   * so the request fails (audit is fail-closed). Records built by keyServiceEvent carry no secrets.
   */
  auditServiceEvent(record: AuditRecord): Promise<void>
  /**
   * The facts `authorize` sees about this request (source IP, transport, time, region …), for checks that
   * evaluate a policy as a later request from the same caller would meet it (the lockout safety check).
   */
  requestFacts(): RequestFacts
}

export interface Operation<N extends OperationName> {
  readonly name: N
  /** Input members recorded in the audit record. Secrets (Plaintext, blobs) never belong here. */
  readonly auditInput: readonly (keyof OperationTypes[N]['input'] & string)[]
  /** Output members recorded in the audit record. */
  readonly auditOutput: readonly string[]
  readonly readOnly: boolean
  /** True when the operation acts on one key and so must call `ctx.authorize` with it. */
  readonly keyScoped: boolean
  run(ctx: OperationContext, input: OperationTypes[N]['input']): Promise<OperationTypes[N]['output']>
}

/** Identity helper that lets TypeScript check an operation literal against its generated types. */
export function defineOperation<N extends OperationName>(op: Operation<N>): Operation<N> {
  return op
}
