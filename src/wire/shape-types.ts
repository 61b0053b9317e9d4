// The compact form of the AWS model that the generator emits and the codec walks.

export type ShapeDef =
  | {
    type: 'structure'; members: Record<string, string>; required: string[]; exception?: boolean; fault?: boolean
    /** Members the model marks sensitive (on their shape, or inside their list or map): never quoted anywhere. */
    sensitive?: string[]
  }
  | { type: 'string'; min?: number; max?: number; pattern?: string; enum?: string[]; sensitive?: boolean }
  | { type: 'blob'; min?: number; max?: number; sensitive?: boolean }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'long'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'timestamp' }
  | { type: 'list'; member: string; min?: number; max?: number }
  | { type: 'map'; key: string; value: string; min?: number; max?: number }

export interface OperationDef {
  input: string | null
  output: string | null
  errors: string[]
  /** AWS lets this operation use a key of another account (its model documentation says "Cross-account use: Yes"). */
  crossAccount: boolean
}

export interface WireModel {
  metadata: { targetPrefix: unknown; jsonVersion: unknown; endpointPrefix: unknown }
  operations: Record<string, OperationDef>
  shapes: Record<string, ShapeDef>
}
