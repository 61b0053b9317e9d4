// Verifies an audit log: the record hash chain, then each signed digest against the records and against a
// trusted public key. Streaming (records are fed one at a time in stored order), so millions of records
// verify in bounded memory; only the hashes and times that digests refer to are kept.
import type { KeyObject } from 'node:crypto'
import { GENESIS_HASH, canonicalHash } from './canonical-json.js'
import { isDigestSignedBy, publicKeyFingerprint, type AuditDigest } from './digest.js'
import type { AuditRecord } from './record.js'

export type ChainProblemKind = 'modified' | 'deleted' | 'reordered' | 'unanchored' | 'truncated' | 'forged-digest' | 'untrusted-key'

export interface ChainProblem {
  kind: ChainProblemKind
  /** The first bad record's sequence, for record problems. */
  sequence?: number
  /** The bad digest's sequence, for digest problems. */
  digestSequence?: number
  message: string
}

export interface VerifyReport {
  ok: boolean
  records: number
  digests: number
  firstSequence?: number
  lastSequence?: number
  trustedKeyFingerprint: string
  problems: ChainProblem[]
}

function anchorProblem(first: AuditRecord, oldest: AuditDigest | undefined): ChainProblem | undefined {
  const seq = first.trentSequence ?? 0
  if (seq === 1 && first.trentPreviousHash === GENESIS_HASH) return undefined
  if (oldest && seq === oldest.firstSequence && first.trentPreviousHash === oldest.previousRecordHash) return undefined
  if (oldest && seq > oldest.firstSequence) {
    return { kind: 'deleted', sequence: oldest.firstSequence, message: `record ${oldest.firstSequence} is missing: the log starts at ${seq} but digest ${oldest.digestSequence} covers from ${oldest.firstSequence}` }
  }
  return { kind: 'unanchored', sequence: seq, message: `record ${seq} starts the log but links neither to the genesis hash nor to a digest` }
}

export class AuditChainVerifier {
  private readonly digests: AuditDigest[]
  private readonly trusted: KeyObject
  private readonly watched = new Set<number>()
  private readonly hashes = new Map<number, string>()
  private readonly times = new Map<number, string>()
  private readonly problems: ChainProblem[] = []
  /** Gaps first reported as deletions; a late arrival of the missing record turns one into a reordering. */
  private readonly gaps = new Map<number, ChainProblem>()
  private top: { seq: number; hash: string } | undefined
  private count = 0
  private first: number | undefined

  /** `digests` in stored order; `trusted` is the public key the caller trusts (pinned, or the stored one). */
  constructor(digests: AuditDigest[], trusted: KeyObject) {
    this.digests = digests
    this.trusted = trusted
    for (const d of digests) this.watched.add(d.firstSequence).add(d.lastSequence)
  }

  add(r: AuditRecord): void {
    const seq = r.trentSequence ?? Number.NaN
    const hash = canonicalHash(r)
    // Links are checked against the highest record seen so far, so one out-of-place record is one problem.
    const top = this.top
    if (!top) {
      const problem = anchorProblem(r, this.digests[0])
      if (problem) this.problems.push(problem)
      this.first = seq
    } else if (seq === top.seq + 1) {
      if (r.trentPreviousHash !== top.hash) {
        this.problems.push({ kind: 'modified', sequence: top.seq, message: `record ${top.seq} was modified: its hash does not match the link stored in record ${seq}` })
      }
    } else if (seq > top.seq + 1) {
      const gap: ChainProblem = { kind: 'deleted', sequence: top.seq + 1, message: `record ${top.seq + 1} is missing (deleted): record ${top.seq} is followed by ${seq}` }
      this.gaps.set(top.seq + 1, gap)
      this.problems.push(gap)
    } else {
      const reordered: ChainProblem = { kind: 'reordered', sequence: seq, message: `record ${seq} is out of order: it comes after record ${top.seq}` }
      const gap = this.gaps.get(seq)
      if (gap) Object.assign(gap, reordered)
      else this.problems.push(reordered)
    }
    if (this.watched.has(seq)) {
      this.hashes.set(seq, hash)
      this.times.set(seq, r.eventTime)
    }
    if (!top || seq > top.seq) this.top = { seq, hash }
    this.count++
  }

  finish(): VerifyReport {
    const trustedKeyFingerprint = publicKeyFingerprint(this.trusted)
    const problems = [...this.problems]
    let prevDigest: AuditDigest | undefined
    for (const d of this.digests) {
      const problem = this.signatureProblem(d, trustedKeyFingerprint) ?? linkProblem(d, prevDigest) ?? this.coverageProblem(d)
      if (problem) problems.push(problem)
      prevDigest = d
    }
    const report: VerifyReport = { ok: problems.length === 0, records: this.count, digests: this.digests.length, trustedKeyFingerprint, problems }
    if (this.first !== undefined) report.firstSequence = this.first
    if (this.top) report.lastSequence = this.top.seq
    return report
  }

  private signatureProblem(d: AuditDigest, fingerprint: string): ChainProblem | undefined {
    if (d.signingKeyFingerprint !== fingerprint) {
      return { kind: 'untrusted-key', digestSequence: d.digestSequence, message: `digest ${d.digestSequence} was signed by key ${d.signingKeyFingerprint}, not the trusted key ${fingerprint}` }
    }
    if (!isDigestSignedBy(d, this.trusted)) {
      return { kind: 'forged-digest', digestSequence: d.digestSequence, message: `digest ${d.digestSequence} has no valid signature by the trusted key ${fingerprint}` }
    }
    return undefined
  }

  private coverageProblem(d: AuditDigest): ChainProblem | undefined {
    if (d.recordCount === 0) return undefined
    const last = this.top?.seq ?? 0
    if (d.lastSequence > last) {
      return { kind: 'truncated', sequence: last + 1, message: `the log was truncated: it ends at record ${last} but signed digest ${d.digestSequence} covers through record ${d.lastSequence}` }
    }
    const hash = this.hashes.get(d.lastSequence)
    if (hash !== undefined && hash !== d.lastRecordHash) {
      return { kind: 'modified', sequence: d.lastSequence, message: `record ${d.lastSequence} was modified: it does not match signed digest ${d.digestSequence}` }
    }
    const start = this.times.get(d.firstSequence)
    if (start !== undefined && (start !== d.startTime || this.times.get(d.lastSequence) !== d.endTime)) {
      return { kind: 'modified', sequence: d.firstSequence, message: `records ${d.firstSequence}..${d.lastSequence} do not match the time range of signed digest ${d.digestSequence}` }
    }
    return undefined
  }
}

function linkProblem(d: AuditDigest, prev: AuditDigest | undefined): ChainProblem | undefined {
  const countOk = d.recordCount === d.lastSequence - d.firstSequence + 1
  const linkOk = !prev || (d.digestSequence === prev.digestSequence + 1 && d.previousDigestHash === canonicalHash(prev)
    && d.firstSequence === prev.lastSequence + 1 && d.previousRecordHash === prev.lastRecordHash)
  if (countOk && linkOk) return undefined
  return { kind: 'forged-digest', digestSequence: d.digestSequence, message: `digest ${d.digestSequence} does not continue the digest chain` }
}

/** Verifies records and digests (each in stored order) against `trusted`. */
export function verifyAuditChain(records: Iterable<AuditRecord>, digests: AuditDigest[], trusted: KeyObject): VerifyReport {
  const verifier = new AuditChainVerifier(digests, trusted)
  for (const r of records) verifier.add(r)
  return verifier.finish()
}
