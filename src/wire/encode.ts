// Turns a typed operation output into the JSON the AWS SDKs expect, walking the model:
// bytes become base64, Dates become epoch seconds, absent members are omitted.
import { wireModel } from './model.generated.js'

function encodeValue(shapeName: string, value: unknown): unknown {
  const shape = wireModel.shapes[shapeName]
  if (!shape) throw new Error(`model has no shape ${shapeName}`)
  switch (shape.type) {
    case 'structure': return encodeStructure(shapeName, value as Record<string, unknown>)
    case 'blob': return Buffer.from(value as Uint8Array).toString('base64')
    case 'timestamp': return (value as Date).getTime() / 1000
    case 'list': return (value as unknown[]).map((v) => encodeValue(shape.member, v))
    case 'map': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = encodeValue(shape.value, v)
      return out
    }
    default: return value
  }
}

function encodeStructure(shapeName: string, value: Record<string, unknown>): Record<string, unknown> {
  const shape = wireModel.shapes[shapeName]
  if (shape?.type !== 'structure') throw new Error(`${shapeName} is not a structure`)
  const out: Record<string, unknown> = {}
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const v = value[member]
    if (v !== undefined && v !== null) out[member] = encodeValue(memberShape, v)
  }
  return out
}

/** Encodes an operation's output; members not in the model are dropped, so internals cannot leak onto the wire. */
export function encodeOutput(shapeName: string | null, output: unknown): Record<string, unknown> {
  if (shapeName === null || output === undefined) return {}
  return encodeStructure(shapeName, output as Record<string, unknown>)
}
