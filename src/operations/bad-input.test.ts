// The bad-input matrix: for every issue-2 operation, wrong types, out-of-range numbers, unknown keys, malformed
// ARNs and aliases, invalid base64, empty, non-object and huge bodies. Each gets its exact AWS exception with a
// 400, one audit record, and no change of state; the server keeps serving afterwards.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, aliasArnFor, assertAwsError, createAlias, createKey, encryptUnder, notFoundMessage, ok, visibleState, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'
import { badInputSpecs, type BadInputSpec, type Fixture } from '../../test/support/bad-input-specs.js'
import { MAX_ECHO_CHARS } from '../wire/messages.js'

interface Case {
  title: string
  body: (f: Fixture) => string
  expect: { type: string; message: string } | 'success'
}

const WELL_FORMEDNESS_ERRORS = new Set(['ValidationException', 'SerializationException', 'NotFoundException', 'InvalidArnException', 'KMSInternalException'])
const MALFORMED_ARN = 'arn:aws:kms:us-east-1:111122223333:key/not-a-key-id'
const MALFORMED_ALIAS = 'alias/has space'
const json = (f: (x: Fixture) => unknown) => (x: Fixture) => JSON.stringify(f(x))
const one = (detail: string) => `1 validation error detected: ${detail}`
const lowerFirst = (m: string) => m.charAt(0).toLowerCase() + m.slice(1)

/** Expands one operation's spec into its rows of the matrix. */
function casesFor(spec: BadInputSpec): Case[] {
  const cases: Case[] = []
  const withMember = (member: string, value: unknown) => json((f) => ({ ...spec.valid(f), [member]: value }))
  for (const [member, value, message] of spec.wrongTypes) {
    cases.push({ title: `wrong JSON type for ${member}`, body: withMember(member, value), expect: { type: 'SerializationException', message } })
  }
  for (const [member, value, message] of spec.outOfRange ?? []) {
    cases.push({ title: `out-of-range ${member} ${String(value).slice(0, 12)}`, body: withMember(member, value), expect: { type: 'ValidationException', message } })
  }
  for (const member of spec.keyMembers ?? []) {
    cases.push({ title: `unknown key in ${member}`, body: withMember(member, UNKNOWN_KEY_ID), expect: { type: 'NotFoundException', message: notFoundMessage(UNKNOWN_KEY_ID) } })
    cases.push({ title: `malformed ARN in ${member}`, body: withMember(member, MALFORMED_ARN), expect: { type: 'InvalidArnException', message: 'Invalid arn' } })
    cases.push({ title: `malformed alias in ${member}`, body: withMember(member, MALFORMED_ALIAS), expect: { type: 'NotFoundException', message: `Invalid keyId '${MALFORMED_ALIAS}'` } })
  }
  for (const member of spec.aliasMembers ?? []) {
    cases.push({
      title: `malformed alias in ${member}`, body: withMember(member, MALFORMED_ALIAS),
      expect: { type: 'ValidationException', message: one(`Value '${MALFORMED_ALIAS}' at '${lowerFirst(member)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`) },
    })
    if (spec.op !== 'CreateAlias') {
      cases.push({ title: `unknown alias in ${member}`, body: withMember(member, 'alias/unknown'), expect: { type: 'NotFoundException', message: `Alias ${aliasArnFor('alias/unknown')} is not found.` } })
    }
  }
  for (const [member, maxBytes] of spec.blobMembers ?? []) {
    const path = lowerFirst(member)
    cases.push({ title: `invalid base64 in ${member}`, body: withMember(member, 'not*base64!'), expect: { type: 'SerializationException', message: `Base64 encoded value at '${path}' is not valid` } })
    cases.push({
      title: `oversize ${member}`, body: withMember(member, b64(new Uint8Array(maxBytes + 1))),
      expect: { type: 'ValidationException', message: one(`Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${maxBytes}`) },
    })
  }
  const [hugeMember, hugeMax] = spec.huge
  cases.push({
    title: `huge body (${hugeMember} of 900000 characters)`, body: withMember(hugeMember, 'x'.repeat(900_000)),
    // The echo of a caller's value stops at MAX_ECHO_CHARS, so a huge value cannot swell the reply or the audit record.
    expect: { type: 'ValidationException', message: one(`Value '${'x'.repeat(MAX_ECHO_CHARS)}...' at '${lowerFirst(hugeMember)}' failed to satisfy constraint: Member must have length less than or equal to ${hugeMax}`) },
  })
  cases.push({ title: 'empty body', body: () => '', expect: spec.emptyBody === 'success' ? 'success' : { type: 'ValidationException', message: spec.emptyBody } })
  for (const raw of ['[]', '"text"', '42', 'null', 'true']) {
    cases.push({ title: `non-object JSON body ${raw}`, body: () => raw, expect: { type: 'SerializationException', message: 'Request body must be a JSON object.' } })
  }
  cases.push({ title: 'truncated JSON body', body: () => '{"KeyId":', expect: { type: 'SerializationException', message: 'Request body is not valid JSON.' } })
  return cases
}

/** The blob members' values in a request body: none of them may reach the audit record. */
function blobValues(spec: BadInputSpec, body: string): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return []
  }
  if (typeof parsed !== 'object' || parsed === null) return []
  return (spec.blobMembers ?? []).map(([m]) => (parsed as Record<string, unknown>)[m]).filter((v): v is string => typeof v === 'string' && v.length >= 8)
}

async function buildFixture(h: Harness): Promise<Fixture> {
  const key: TestKey = await createKey(h, { Tags: [{ TagKey: 'a', TagValue: 'b' }] })
  const other: TestKey = await createKey(h)
  await createAlias(h, 'alias/fixture', key.keyId)
  return { key, other, aliasName: 'alias/fixture', blob: await encryptUnder(h, key.keyId, 'fixture secret') }
}

describe('bad input, per operation', () => {
  let h: Harness
  let fixture: Fixture
  let baseline: string
  before(async () => {
    h = await createHarness()
    fixture = await buildFixture(h)
    baseline = await visibleState(h, [fixture.key.keyId, fixture.other.keyId])
  })
  after(() => h.close())

  it('covers all 24 issue-2 operations', () => {
    assert.equal(new Set(badInputSpecs.map((s) => s.op)).size, 24)
  })

  for (const spec of badInputSpecs) {
    describe(spec.op, () => {
      it('has a well-formed base request, so each case fails only for its own mutation', async () => {
        const fresh = await createHarness()
        try {
          const res = await fresh.call(spec.op, spec.valid(await buildFixture(fresh)))
          assert.ok(res.status === 200 || !WELL_FORMEDNESS_ERRORS.has(String(res.body.__type)), JSON.stringify(res.body))
        } finally {
          await fresh.close()
        }
      })
      for (const c of casesFor(spec)) {
        it(c.title, async () => {
          const { res, record } = await withOneAudit(h, () => h.callRaw(`TrentService.${spec.op}`, c.body(fixture)))
          if (c.expect === 'success') {
            assert.equal(res.status, 200, JSON.stringify(res.body))
            baseline = await visibleState(h, [fixture.key.keyId, fixture.other.keyId])
            return
          }
          assertAwsError(res, c.expect.type, c.expect.message)
          assert.equal(record.errorCode, c.expect.type)
          assert.equal(record.eventName, spec.op)
          const text = JSON.stringify(record)
          for (const value of blobValues(spec, c.body(fixture))) assert.ok(!text.includes(value), 'a blob reached the audit record')
          assert.equal(await visibleState(h, [fixture.key.keyId, fixture.other.keyId]), baseline)
        })
      }
    })
  }

  it('logged no unexpected error for any of it', () => {
    assert.deepEqual(h.logs.lines.filter((l) => l.level === 'error'), [])
  })

  it('still serves normal requests after the whole matrix', async () => {
    const dec = await ok(h, 'Decrypt', { CiphertextBlob: fixture.blob })
    assert.equal(unb64(dec.Plaintext).toString(), 'fixture secret')
    assert.equal((await h.call('Encrypt', { KeyId: 'alias/fixture', Plaintext: b64('still up') })).status, 200)
  })
})
