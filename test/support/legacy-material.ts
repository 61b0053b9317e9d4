// Key material rows exactly as Trent wrote them before wrap format 2 (issue 8, finding 8), so migration
// tests can start from a previous-version database. The two functions are verbatim copies of the old code,
// kept here (not imported) so that a change to the code's legacy path cannot silently change the fixture.
import { createHmac } from 'node:crypto'
import type Database from 'better-sqlite3'
import { randomBytes } from '../../src/crypto/data-key.js'
import { unwrapKeyMaterial, wrapKeyMaterial } from '../../src/crypto/key-wrap.js'
import { boundMaterialAad } from '../../src/keys/material-binding.js'
import { readBlobLabel } from '../../src/rootkey/labelled-blob.js'

/** The previous src/keys/keyring.ts materialAad: key id and version only. */
export function previousMaterialAad(keyId: string, version: number): Uint8Array {
  return new TextEncoder().encode(`trent/key-material:${keyId}:${version}`)
}

/** The previous src/crypto/data-key.ts materialId: HMAC-SHA256 keyed by the material. */
export function previousMaterialId(keyId: string, material: Uint8Array): string {
  return createHmac('sha256', material).update(`trent/key-material-id/v1:${keyId}`, 'utf8').digest('hex')
}

interface Row { key_id: string; version: number; wrapped_material: Uint8Array; key_spec: string; key_usage: string }

/**
 * Rewrites every format-2 key_versions row of `db` as the previous code would have written it (legacy AAD,
 * legacy HMAC id, both markers 1) and returns the legacy ids by `keyId/version`. `rootKey` is the raw 32 bytes.
 */
export function rewriteAsPreviousCode(db: Database.Database, rootKey: Uint8Array): Map<string, string> {
  const rows = db.prepare(
    `SELECT v.key_id, v.version, v.wrapped_material, k.key_spec, k.key_usage
     FROM key_versions v JOIN keys k USING (key_id) WHERE v.wrap_format = 2`,
  ).all() as Row[]
  const update = db.prepare(
    `UPDATE key_versions SET wrapped_material = ?, material_id = ?, wrap_format = 1, material_id_format = 1
     WHERE key_id = ? AND version = ?`,
  )
  const ids = new Map<string, string>()
  db.transaction(() => {
    for (const r of rows) {
      const binding = { keyId: r.key_id, version: r.version, keySpec: r.key_spec as never, keyUsage: r.key_usage as never }
      // Today's rows carry the root key's label (rootkey/labelled-blob.ts); the previous code wrote the bare blob.
      const material = unwrapKeyMaterial(rootKey, readBlobLabel(r.wrapped_material).inner, boundMaterialAad(binding))
      const id = previousMaterialId(r.key_id, material)
      update.run(wrapKeyMaterial(rootKey, material, previousMaterialAad(r.key_id, r.version), randomBytes), id, r.key_id, r.version)
      ids.set(`${r.key_id}/${r.version}`, id)
    }
  })()
  return ids
}
