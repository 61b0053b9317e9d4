// The exported audit log: JSON Lines in chain order, each line a record (it has `eventVersion`) or a signed
// digest (it has `digestVersion`) placed right after the last record it covers. Verifiable offline.
import type { KeyObject } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Store } from '../store/store.js'
import { canonicalJson } from './canonical-json.js'
import type { AuditDigest } from './digest.js'
import type { AuditRecord } from './record.js'
import { AuditChainVerifier, type VerifyReport } from './verify-chain.js'

const PAGE = 5000

export interface ExportRange {
  start?: Date
  end?: Date
}

/** Every stored digest, in digest-chain order (one per period, so few enough to hold in memory). */
export async function storedDigests(store: Store): Promise<AuditDigest[]> {
  const all: AuditDigest[] = []
  for (;;) {
    const page = await store.listAuditDigests(all.at(-1)?.digestSequence ?? 0, 1000)
    all.push(...page)
    if (page.length < 1000) return all
  }
}

/** Streams stored records in chain order, a page at a time. */
export async function* storedRecords(store: Store): AsyncGenerator<AuditRecord> {
  let after = 0
  for (;;) {
    const page = await store.listAudit(after, PAGE)
    for (const row of page) yield row.record
    if (page.length < PAGE) return
    after = page[page.length - 1]!.seq
  }
}

function inRange(record: AuditRecord, range: ExportRange): boolean {
  const t = Date.parse(record.eventTime)
  return (!range.start || t >= range.start.getTime()) && (!range.end || t <= range.end.getTime())
}

/**
 * Writes the log as JSON Lines through `write` (which may return a promise to apply back-pressure). With a
 * time range only records inside it are written, with the digests of the periods they fall in.
 * Returns how many records and digests were written.
 */
export async function exportAuditLog(store: Store, write: (line: string) => unknown, range: ExportRange = {}): Promise<{ records: number; digests: number }> {
  const digests = await storedDigests(store)
  const filtered = range.start !== undefined || range.end !== undefined
  const counts = { records: 0, digests: 0 }
  let next = 0
  let exportedInPeriod = 0
  const writeDigestsThrough = async (seq: number) => {
    while (next < digests.length && digests[next]!.lastSequence <= seq) {
      const d = digests[next++]!
      if (!filtered || exportedInPeriod > 0) {
        await write(`${canonicalJson(d)}\n`)
        counts.digests++
      }
      exportedInPeriod = 0
    }
  }
  for await (const record of storedRecords(store)) {
    await writeDigestsThrough((record.trentSequence ?? 0) - 1)
    if (!inRange(record, range)) continue
    await write(`${canonicalJson(record)}\n`)
    counts.records++
    exportedInPeriod++
  }
  await writeDigestsThrough(Number.MAX_SAFE_INTEGER)
  return counts
}

function isDigest(value: Record<string, unknown>): boolean {
  return 'digestVersion' in value
}

async function* fileLines(path: string): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  for await (const line of lines) {
    if (line.trim() !== '') yield JSON.parse(line) as Record<string, unknown>
  }
}

/** Verifies an exported log file against `trusted` in two streaming passes (digests, then records). Throws on unparseable lines. */
export async function verifyExportedLog(path: string, trusted: KeyObject): Promise<VerifyReport> {
  const digests: AuditDigest[] = []
  for await (const entry of fileLines(path)) if (isDigest(entry)) digests.push(entry as unknown as AuditDigest)
  const verifier = new AuditChainVerifier(digests, trusted)
  for await (const entry of fileLines(path)) if (!isDigest(entry)) verifier.add(entry as unknown as AuditRecord)
  return verifier.finish()
}

/** Verifies the log stored in `store` against `trusted`. */
export async function verifyStoredLog(store: Store, trusted: KeyObject): Promise<VerifyReport> {
  const verifier = new AuditChainVerifier(await storedDigests(store), trusted)
  for await (const record of storedRecords(store)) verifier.add(record)
  return verifier.finish()
}
