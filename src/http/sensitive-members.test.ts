// Generated from the model: for every operation and every input member the model marks sensitive (at any depth),
// invalid values of that member (too long, too short, wrong JSON type, bad base64, beside another bad member)
// never reach the reply, a log line or an audit record. The list of members comes from wireModel, not from a hand list.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { auditRecords } from '../../test/support/kms-fixtures.js'
import { decodeInput } from '../wire/decode.js'
import { wireModel } from '../wire/model.generated.js'
import type { ShapeDef } from '../wire/shape-types.js'

interface SensitiveMember {
  operation: string
  /** Member names from the input structure down to the sensitive member. */
  path: string[]
  shape: ShapeDef
}

/** Walks each operation's input structure and collects the members its `sensitive` list names. */
function sensitiveMembers(): SensitiveMember[] {
  const found: SensitiveMember[] = []
  const walk = (operation: string, shapeName: string, path: string[], seen: Set<string>) => {
    const shape = wireModel.shapes[shapeName]
    if (shape?.type !== 'structure' || seen.has(shapeName)) return
    for (const [member, memberShape] of Object.entries(shape.members)) {
      if (shape.sensitive?.includes(member)) found.push({ operation, path: [...path, member], shape: wireModel.shapes[memberShape]! })
      else walk(operation, memberShape, [...path, member], new Set([...seen, shapeName]))
    }
  }
  for (const [operation, def] of Object.entries(wireModel.operations)) if (def.input) walk(operation, def.input, [], new Set())
  return found
}

const MARKER = 'QzSensitiveMarker7Xw'

/** A distinct token of exactly `n` characters (n ≥ 6), so even a too-short value is recognisable. */
function token(n: number): string {
  return (MARKER + MARKER).slice(0, n)
}

/** Invalid values for the member, each with the strings that must not appear anywhere afterwards. */
function invalidValues(shape: ShapeDef): { label: string; value: unknown; traces: string[] }[] {
  if (shape.type === 'blob') {
    const long = Buffer.from(MARKER.repeat(Math.ceil(((shape.max ?? 4096) + 1) / MARKER.length)))
    const b64 = long.toString('base64')
    return [
      { label: 'too long', value: b64, traces: [MARKER, b64.slice(0, 24)] },
      { label: 'bad base64', value: `${MARKER}!!`, traces: [MARKER] },
      { label: 'wrong JSON type', value: { inner: MARKER }, traces: [MARKER] },
      { label: 'valid, beside an invalid member', value: Buffer.from(MARKER).toString('base64'), traces: [MARKER, Buffer.from(MARKER).toString('base64')] },
    ]
  }
  if (shape.type === 'string') {
    const cases = [
      { label: 'too long', value: MARKER.repeat(Math.ceil(((shape.max ?? 1024) + 1) / MARKER.length)), traces: [MARKER] },
      { label: 'wrong JSON type', value: [MARKER], traces: [MARKER] },
      { label: 'valid, beside an invalid member', value: token(Math.max(shape.min ?? 6, 6)), traces: [token(Math.max(shape.min ?? 6, 6))] },
    ]
    if ((shape.min ?? 0) > 6) cases.push({ label: 'too short', value: token(shape.min! - 1), traces: [token(shape.min! - 1)] })
    return cases
  }
  throw new Error(`a sensitive member of type ${shape.type} needs invalid values in this test`)
}

/** `{ A: { B: value } }` for path [A, B]; the 'beside' case adds a member no operation accepts a value of that type for. */
function bodyFor(path: string[], value: unknown, beside: boolean): Record<string, unknown> {
  let body: unknown = value
  for (const member of [...path].reverse()) body = { [member]: body }
  const out = body as Record<string, unknown>
  if (beside) out.KeyId = 'not a key id'
  return out
}

describe('no sensitive member reaches a reply, a log line or an audit record', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  const members = sensitiveMembers()
  it('finds the sensitive members in the model (Plaintext, Message, KeyStorePassword, XKS credentials)', () => {
    const names = new Set(members.map((m) => m.path.join('.')))
    for (const n of ['Plaintext', 'Message', 'KeyStorePassword', 'XksProxyAuthenticationCredential.RawSecretAccessKey']) assert.ok(names.has(n), n)
    assert.ok(members.some((m) => m.operation === 'Encrypt' && m.path.join('.') === 'Plaintext'))
  })

  for (const m of members) {
    describe(`${m.operation} ${m.path.join('.')}`, () => {
      for (const c of invalidValues(m.shape)) {
        it(c.label, async () => {
          const res = await h.call(m.operation, bodyFor(m.path, c.value, c.label.startsWith('valid')))
          assert.notEqual(res.status, 200, res.raw.body)
          // The codec itself too, so members of operations Trent does not serve (custom key stores) are decoded as well.
          let decoded = ''
          try { decodeInput(wireModel.operations[m.operation]!.input, bodyFor(m.path, c.value, c.label.startsWith('valid'))) } catch (e) { decoded = String(e) }
          const places = { reply: res.raw.body, logs: JSON.stringify(h.logs.lines), audit: JSON.stringify(await auditRecords(h)), codec: decoded }
          for (const [where, text] of Object.entries(places)) {
            for (const trace of c.traces) assert.ok(!text.includes(trace), `${trace} reached the ${where}: ${where === 'reply' ? text : ''}`)
          }
        })
      }
    })
  }
})
