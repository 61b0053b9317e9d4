// The rotation job: rotates every Enabled key whose next automatic rotation date has come, completes on-demand
// rotations that RotateKeyOnDemand started but a crash cut short, and audits each one (a RotateKey service event).
// Rotation happens only here or in RotateKeyOnDemand, never on a read.
import type { AuditLog } from '../audit/audit-log.js'
import type { KeyRecord, KeyVersion, RotationType } from '../keys/key.js'
import { rotateKeyMaterial, type RotationDeps, type RotationPlan } from '../keys/rotate-material.js'
import { ON_DEMAND_ROTATION_LIMIT, followingRotationDate } from '../keys/rotation-rules.js'
import type { Clock } from '../config/clock.js'
import { isMirror } from '../keys/regional-key.js'
import { keyServiceEvent } from './service-event.js'

export interface RotationJobDeps extends RotationDeps {
  auditLog: AuditLog
  clock: Clock
  /** The Regions served here: a key elsewhere is a mirror, which its peer rotates (the new version arrives by SyncKeySet). */
  regions: ReadonlySet<string>
}

/** Keys read per store call; a run keeps reading until none is due, so a backlog clears in one run. */
const BATCH = 100

/** The rotation `key` is due for: an on-demand one in progress first (it leaves the schedule alone), else the automatic one. */
function planFor(key: KeyRecord, now: Date, audit: (v: KeyVersion, type: RotationType) => Promise<void>): RotationPlan {
  if (key.onDemandRotationStartedAt) {
    return {
      type: 'ON_DEMAND', now, maxOnDemand: ON_DEMAND_ROTATION_LIMIT, onDemandStartedAt: key.onDemandRotationStartedAt,
      beforeCommit: (v) => audit(v, 'ON_DEMAND'),
    }
  }
  const schedule = key.rotation!
  return {
    type: 'AUTOMATIC', now, schedule: { expected: schedule.nextRotationDate, next: followingRotationDate(schedule, now) },
    beforeCommit: (v) => audit(v, 'AUTOMATIC'),
  }
}

/**
 * Rotates the keys due at the clock's `now` (on-demand rotations a crash left unfinished, then automatic ones)
 * and returns their ids, once per rotation. Per key, in this order: the new material is made, its RotateKey
 * record is written (no record, no rotation: an audit failure stops the run), then one atomic store write adds
 * the version, makes it current and moves the schedule on (or clears the on-demand start), only if the key is
 * still as read. A crash before that write leaves the key due, so the next run rotates it (at most an extra
 * record names material that never became current); after it, the key is no longer due, so nothing rotates
 * twice. `mayContinue` is asked before each key (the scheduler renews its lease there); on false the run stops.
 */
export async function rotateDueKeys(deps: RotationJobDeps, mayContinue: () => Promise<boolean> = async () => true): Promise<string[]> {
  const now = deps.clock.now()
  const rotated: string[] = []
  const tried = new Set<string>()
  const audit = (key: KeyRecord) => (v: KeyVersion, rotationType: RotationType) =>
    deps.auditLog.write(keyServiceEvent(key, 'RotateKey', now, { keyMaterialId: v.materialId, rotationType }))
  for (;;) {
    const due = (await deps.store.listKeysDueForRotation(now, BATCH + tried.size)).filter((k) => !tried.has(attempt(k)))
    if (due.length === 0) return rotated
    for (const key of due) {
      if (!(await mayContinue())) return rotated
      tried.add(attempt(key))
      // Only KMS-made material rotates here (RotateKeyOnDemand and EnableKeyRotation refuse other origins); a key
      // that got due some other way is skipped rather than left to stop every later run on the same error.
      if (key.origin !== 'AWS_KMS' || isMirror(key, deps.regions)) continue
      if (await rotateKeyMaterial(deps, key, planFor(key, now, audit(key)))) rotated.push(key.keyId)
    }
  }
}

/** One attempt per key and kind per run: a key whose on-demand rotation completed may then be due automatically. */
function attempt(key: KeyRecord): string {
  return `${key.keyId}/${key.onDemandRotationStartedAt ? 'on-demand' : 'automatic'}`
}
