// `trent rootkey migrate`: rewraps every secret wrapped under one root key (`from`) under another (`to`):
// key versions, access-key secrets, role-session secrets, the audit signing key and, last, the root-key
// check value, which then tells every server start that the migration is complete. It runs online beside
// servers: each row changes in one compare-and-set write (only if it still holds the blob that was read),
// and the servers' change feed drops the old copies they cached. Rows whose label already names `to` are
// skipped, so a run killed at any point is resumed by running it again. verifyRootKeyMigration() then
// proves every secret is labelled with `to` and opens under it.
import { secretAad, sessionSecretAad } from '../auth/credentials.js'
import { AUDIT_SIGNING_KEY_SETTING, auditSigningKeyWrapped } from '../audit/signing-key.js'
import { KeyWrapError } from '../crypto/key-wrap.js'
import { MaterialIntegrityError, requireOwnMaterialId } from '../keys/keyring.js'
import { materialAad } from '../keys/material-binding.js'
import type { WrappedKind } from '../store/custody-store.js'
import { WRAPPED_KINDS } from '../store/custody-store.js'
import type { Store } from '../store/store.js'
import { blobRootKeyId } from './labelled-blob.js'
import { CHECK_AAD, CHECK_SETTING } from './root-key-check.js'
import type { RootKey } from './root-key.js'

/** One wrapped secret as the migration sees it: its current blob, aad, and how to swap it by compare-and-set. */
interface Secret {
  what: string
  wrapped: Uint8Array
  aad: Uint8Array
  /** Checks the unwrapped secret belongs to its row beyond the aad (a key version's material id). */
  check?: (plain: Uint8Array) => void
  replace(next: Uint8Array): Promise<boolean>
}

export type Phase = WrappedKind | 'settings'

export interface PhaseCounts {
  rewrapped: number
  /** Already wrapped by `to` (done by an earlier, interrupted run, or written by a server since). */
  already: number
  /** Gone, or changed by someone else, between the read and the write; the next pass sees it again. */
  raced: number
  /** Opens under neither key: listed by id in `failures`. */
  refused: number
}

export interface MigrationReport {
  phases: Record<Phase, PhaseCounts>
  failures: string[]
}

export interface ProgressEvent {
  phase: Phase
  counts: PhaseCounts
  /** Secrets handled per second in this phase so far. */
  rate: number
  final: boolean
}

const pageSize = 200
const progressEveryMs = 1_000
const maxPasses = 5

/**
 * Rewraps everything not yet wrapped by `to`. Throws on store or root-key faults (RootKeyUnavailableError):
 * what was done stays done, and a rerun resumes.
 */
export async function migrateRootKey(store: Store, from: RootKey, to: RootKey, onProgress: (e: ProgressEvent) => void = () => {}): Promise<MigrationReport> {
  const report: MigrationReport = { phases: emptyPhases(), failures: [] }
  for (const phase of [...WRAPPED_KINDS, 'settings'] as Phase[]) {
    for (let pass = 0; pass < maxPasses; pass++) {
      const counts = zero()
      const started = Date.now()
      let lastReport = started
      const tick = (final: boolean) => {
        const handled = counts.rewrapped + counts.already + counts.raced + counts.refused
        onProgress({ phase, counts, rate: handled / Math.max(0.001, (Date.now() - started) / 1000), final })
      }
      for await (const secret of secretsOf(store, phase)) {
        const outcome = await migrateOne(secret, from, to)
        counts[outcome]++
        if (outcome === 'refused' && !report.failures.includes(secret.what)) report.failures.push(secret.what)
        if (Date.now() - lastReport >= progressEveryMs) {
          lastReport = Date.now()
          tick(false)
        }
      }
      tick(true)
      add(report.phases[phase], counts, pass === 0)
      // Another pass only for rows that changed under us; a quiet pass ends the phase.
      if (counts.raced === 0) break
    }
  }
  return report
}

async function migrateOne(secret: Secret, from: RootKey, to: RootKey): Promise<'rewrapped' | 'already' | 'raced' | 'refused'> {
  if (blobRootKeyId(secret.wrapped) === to.id) return 'already'
  let plain: Uint8Array
  try {
    plain = await from.unwrap(secret.wrapped, secret.aad)
    secret.check?.(plain)
  } catch (e) {
    if (e instanceof KeyWrapError || e instanceof MaterialIntegrityError) return 'refused'
    throw e
  }
  try {
    const next = await to.wrap(plain, secret.aad)
    return (await secret.replace(next)) ? 'rewrapped' : 'raced'
  } finally {
    plain.fill(0)
  }
}

export interface VerifyReport {
  /** Secrets labelled with `to` that open under it, per phase. */
  verified: Record<Phase, number>
  /** Secrets that are not labelled with `to` or do not open under it, by id. */
  failures: string[]
}

/** Opens every secret with `to` alone. Throws on store or root-key faults. */
export async function verifyRootKeyMigration(store: Store, to: RootKey): Promise<VerifyReport> {
  const report: VerifyReport = { verified: { 'key-version': 0, 'access-key': 0, 'role-session': 0, settings: 0 }, failures: [] }
  for (const phase of [...WRAPPED_KINDS, 'settings'] as Phase[]) {
    for await (const secret of secretsOf(store, phase)) {
      try {
        if (blobRootKeyId(secret.wrapped) !== to.id) throw new KeyWrapError('labelled with another root key')
        const plain = await to.unwrap(secret.wrapped, secret.aad)
        try {
          secret.check?.(plain)
        } finally {
          plain.fill(0)
        }
        report.verified[phase]++
      } catch (e) {
        if (!(e instanceof KeyWrapError || e instanceof MaterialIntegrityError)) throw e
        report.failures.push(secret.what)
      }
    }
  }
  return report
}

/** Every secret of one phase, read page by page (each row fresh when it is handed out). */
async function* secretsOf(store: Store, phase: Phase): AsyncGenerator<Secret> {
  if (phase === 'settings') {
    yield* settingSecrets(store)
    return
  }
  let after: string | undefined
  for (;;) {
    const page = await store.listWrappedSecrets(phase, after, pageSize)
    for (const row of page) {
      if (phase === 'key-version') {
        const secret = await keyVersionSecret(store, row.id)
        if (secret) yield secret
      } else {
        const aad = phase === 'access-key' ? secretAad(row.id) : sessionSecretAad(row.id)
        yield { what: `${phase} ${row.id}`, wrapped: row.wrapped, aad, replace: (next) => store.replaceWrappedSecret(phase, row.id, row.wrapped, next) }
      }
    }
    if (page.length < pageSize) return
    after = page.at(-1)!.id
  }
}

async function keyVersionSecret(store: Store, id: string): Promise<Secret | undefined> {
  const slash = id.lastIndexOf('/')
  const keyId = id.slice(0, slash)
  const version = Number(id.slice(slash + 1))
  const [key, stored] = [await store.getKey(keyId), await store.getKeyVersion(keyId, version)]
  if (!key || !stored) return undefined
  const wrapped = new Uint8Array(stored.wrappedMaterial)
  return {
    what: `key-version ${id}`,
    wrapped,
    aad: materialAad(stored.wrapFormat, { keyId, version, keySpec: key.keySpec, keyUsage: key.keyUsage }),
    // requireOwnMaterialId zeroes the material when it fails; the callers zero it either way.
    check: (plain) => requireOwnMaterialId(stored, plain),
    replace: (next) => store.replaceWrappedSecret('key-version', id, wrapped, next),
  }
}

/** The audit signing key, then the root-key check value: last, so it flips only once everything else moved. */
async function* settingSecrets(store: Store): AsyncGenerator<Secret> {
  const signing = await store.getSetting(AUDIT_SIGNING_KEY_SETTING)
  if (signing !== undefined) {
    const parts = auditSigningKeyWrapped(signing)
    yield { what: `setting ${AUDIT_SIGNING_KEY_SETTING}`, wrapped: parts.wrapped, aad: parts.aad, replace: (next) => store.replaceSetting(AUDIT_SIGNING_KEY_SETTING, signing, parts.withWrapped(next)) }
  }
  const check = await store.getSetting(CHECK_SETTING)
  if (check !== undefined) {
    yield {
      what: `setting ${CHECK_SETTING}`, wrapped: new Uint8Array(Buffer.from(check, 'base64')), aad: CHECK_AAD,
      replace: (next) => store.replaceSetting(CHECK_SETTING, check, Buffer.from(next).toString('base64')),
    }
  }
}

function zero(): PhaseCounts {
  return { rewrapped: 0, already: 0, raced: 0, refused: 0 }
}

function emptyPhases(): Record<Phase, PhaseCounts> {
  return { 'key-version': zero(), 'access-key': zero(), 'role-session': zero(), settings: zero() }
}

/** Later passes revisit only what raced: their "already" rows were counted by the first pass. */
function add(total: PhaseCounts, pass: PhaseCounts, first: boolean): void {
  total.rewrapped += pass.rewrapped
  total.refused += pass.refused
  if (first) {
    total.already += pass.already
    total.raced += pass.raced
  }
}
