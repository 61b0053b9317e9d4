// The rotation job: rotates every Enabled key whose next automatic rotation date has come, and audits each
// rotation (a RotateKey service event). Rotation happens only here or in RotateKeyOnDemand, never on a read.
import type { AuditLog } from '../audit/audit-log.js'
import { rotateKeyMaterial, type RotationDeps } from '../keys/rotate-material.js'
import { followingRotationDate } from '../keys/rotation-rules.js'
import type { Clock } from '../config/clock.js'
import { keyServiceEvent } from './service-event.js'

export interface RotationJobDeps extends RotationDeps {
  auditLog: AuditLog
  clock: Clock
}

/** Keys read per store call; a run keeps reading until none is due, so a backlog clears in one run. */
const BATCH = 100

/**
 * Rotates the keys due at the clock's `now` and returns their ids. Per key, in this order: the new material is
 * made, its RotateKey record is written (no record, no rotation: an audit failure stops the run), then one
 * atomic store write adds the version, makes it current and moves the schedule on, only if the key is still
 * as read. A crash before that write leaves the key due, so the next run rotates it (at most an extra record
 * names material that never became current); after it, the key is no longer due, so nothing rotates twice.
 * `mayContinue` is asked before each key (the scheduler renews its lease there); on false the run stops.
 */
export async function rotateDueKeys(deps: RotationJobDeps, mayContinue: () => Promise<boolean> = async () => true): Promise<string[]> {
  const now = deps.clock.now()
  const rotated: string[] = []
  const tried = new Set<string>()
  for (;;) {
    const due = (await deps.store.listKeysDueForRotation(now, BATCH + tried.size)).filter((k) => !tried.has(k.keyId))
    if (due.length === 0) return rotated
    for (const key of due) {
      if (!(await mayContinue())) return rotated
      tried.add(key.keyId)
      // Only KMS-made material rotates automatically (EnableKeyRotation refuses other origins); a key that got a
      // schedule some other way is skipped rather than left to stop every later run on the same error.
      if (key.origin !== 'AWS_KMS') continue
      const schedule = key.rotation!
      const version = await rotateKeyMaterial(deps, key, {
        type: 'AUTOMATIC', now, schedule: { expected: schedule.nextRotationDate, next: followingRotationDate(schedule, now) },
        beforeCommit: (v) => deps.auditLog.write(keyServiceEvent(key, 'RotateKey', now, { keyMaterialId: v.materialId, rotationType: 'AUTOMATIC' })),
      })
      if (version) rotated.push(key.keyId)
    }
  }
}
