// The exact text a chained record was stored and hashed as, remembered beside the record object, so that
// a second consumer (the file sink) writes those bytes instead of serialising the record again.
import { canonicalJson } from './canonical-json.js'
import type { ChainedAuditRecord } from './record.js'

// Weak, so a record and its text leave memory together once the batch is done with.
const storedForms = new WeakMap<ChainedAuditRecord, string>()

/** Records that `json` is the canonical form `record` was stored (and hashed) as. */
export function rememberStoredForm(record: ChainedAuditRecord, json: string): void {
  storedForms.set(record, json)
}

/** The canonical form `record` was stored as; computed afresh for a record the store did not hand out. */
export function storedFormOf(record: ChainedAuditRecord): string {
  return storedForms.get(record) ?? canonicalJson(record)
}
