// Turns a typed operation output into the JSON text the AWS SDKs expect, walking the model: bytes become
// base64, Dates become epoch seconds, absent members are omitted.
//
// The text is written directly rather than built as an object for JSON.stringify: a reply is mostly one
// base64 blob (5.5 KB for a 4 KiB Encrypt), and JSON.stringify scans every character of it for escapes
// (~5 µs) although base64 never needs one. Everything that may need escaping still goes through it.
import { wireModel } from './model.generated.js'

function encodeValue(shapeName: string, value: unknown): string {
  const shape = wireModel.shapes[shapeName]
  if (!shape) throw new Error(`model has no shape ${shapeName}`)
  switch (shape.type) {
    case 'structure': return encodeStructure(shapeName, value as Record<string, unknown>)
    case 'blob': return `"${Buffer.from((value as Uint8Array).buffer, (value as Uint8Array).byteOffset, (value as Uint8Array).byteLength).toString('base64')}"`
    case 'timestamp': return JSON.stringify((value as Date).getTime() / 1000)
    // As JSON.stringify would: an absent list element is null, an absent map value is left out.
    case 'list': return `[${(value as unknown[]).map((v) => (v === undefined || v === null ? 'null' : encodeValue(shape.member, v))).join(',')}]`
    case 'map': {
      const members: string[] = []
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) members.push(`${JSON.stringify(k)}:${encodeValue(shape.value, v)}`)
      return `{${members.join(',')}}`
    }
    default: return JSON.stringify(value)
  }
}

function encodeStructure(shapeName: string, value: Record<string, unknown>): string {
  const shape = wireModel.shapes[shapeName]
  if (shape?.type !== 'structure') throw new Error(`${shapeName} is not a structure`)
  let out = ''
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const v = value[member]
    if (v === undefined || v === null) continue
    // Member names come from the AWS model and are plain identifiers (model.test.ts): nothing to escape.
    out += `${out === '' ? '' : ','}"${member}":${encodeValue(memberShape, v)}`
  }
  return `{${out}}`
}

/** Encodes an operation's output; members not in the model are dropped, so internals cannot leak onto the wire. */
export function encodeOutput(shapeName: string | null, output: unknown): string {
  if (shapeName === null || output === undefined) return '{}'
  return encodeStructure(shapeName, output as Record<string, unknown>)
}
