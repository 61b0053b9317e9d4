// A backup holds its secrets under one root key: the one its header names. While a root-key migration is
// under way (TRENT_ROOT_KEY_PREVIOUS set, `trent rootkey migrate` not finished) some rows are still wrapped
// by the previous key; the backup rewraps those under the current key as it streams them, so the file
// restores with the key its header names alone. The source store is never written.
import { secretAad, sessionSecretAad } from '../auth/credentials.js'
import { AUDIT_SIGNING_KEY_SETTING, auditSigningKeyWrapped } from '../audit/signing-key.js'
import type { KeySpec, KeyUsageType } from '../keys/key.js'
import { materialAad, type WrapFormat } from '../keys/material-binding.js'
import { blobRootKeyId } from '../rootkey/labelled-blob.js'
import { CHECK_AAD, CHECK_SETTING } from '../rootkey/root-key-check.js'
import type { RootKey } from '../rootkey/root-key.js'
import type { SnapshotChunk, SnapshotValue } from '../store/snapshot.js'

/**
 * `chunks` with every secret labelled with another root key than `rootKey.id` unwrapped (by `rootKey`, a
 * chain that knows the previous key) and wrapped again by `rootKey`. Legacy unlabelled blobs are left as
 * they are: they predate migrations. Throws KeyWrapError when a secret opens under no configured key.
 */
export async function* underOneRootKey(chunks: AsyncIterable<SnapshotChunk>, rootKey: RootKey): AsyncGenerator<SnapshotChunk> {
  // keys precedes key_versions in SNAPSHOT_TABLES: a version's AAD binds its key's spec and usage.
  const keys = new Map<string, { keySpec: KeySpec; keyUsage: KeyUsageType }>()
  const rewrap = async (blob: Uint8Array, aad: Uint8Array): Promise<Uint8Array> => {
    const label = blobRootKeyId(blob)
    if (label === undefined || label === rootKey.id) return blob
    const plain = await rootKey.unwrap(blob, aad)
    try {
      return await rootKey.wrap(plain, aad)
    } finally {
      plain.fill(0)
    }
  }
  for await (const chunk of chunks) {
    const col = (name: string) => chunk.columns.indexOf(name)
    if (chunk.table === 'keys') {
      for (const row of chunk.rows) keys.set(row[col('key_id')] as string, { keySpec: row[col('key_spec')] as KeySpec, keyUsage: row[col('key_usage')] as KeyUsageType })
      yield chunk
      continue
    }
    const rows: SnapshotValue[][] = []
    for (const source of chunk.rows) {
      const row = [...source]
      if (chunk.table === 'key_versions') {
        const at = col('wrapped_material')
        const blob = row[at] as Uint8Array
        const keyId = row[col('key_id')] as string
        const key = keys.get(keyId)
        // Deleted imported material keeps an empty blob: nothing to rewrap.
        if (blob.length > 0 && key) {
          const format = (col('wrap_format') < 0 ? 1 : row[col('wrap_format')]) as WrapFormat
          row[at] = await rewrap(blob, materialAad(format, { keyId, version: row[col('version')] as number, ...key }))
        }
      } else if (chunk.table === 'access_keys' || chunk.table === 'role_sessions') {
        const at = col('wrapped_secret')
        const id = row[col('access_key_id')] as string
        row[at] = await rewrap(row[at] as Uint8Array, chunk.table === 'access_keys' ? secretAad(id) : sessionSecretAad(id))
      } else if (chunk.table === 'settings') {
        const at = col('value')
        const name = row[col('name')]
        const text = row[at] as string
        if (name === CHECK_SETTING) {
          row[at] = Buffer.from(await rewrap(new Uint8Array(Buffer.from(text, 'base64')), CHECK_AAD)).toString('base64')
        } else if (name === AUDIT_SIGNING_KEY_SETTING) {
          const parts = auditSigningKeyWrapped(text)
          const next = await rewrap(parts.wrapped, parts.aad)
          if (next !== parts.wrapped) row[at] = parts.withWrapped(next)
        }
      }
      rows.push(row)
    }
    yield { table: chunk.table, columns: chunk.columns, rows }
  }
}
