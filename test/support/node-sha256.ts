// A SHA-256 / HMAC-SHA-256 hash in the shape @smithy/signature-v4 expects, over node:crypto (test support only).
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'

export class NodeSha256 {
  private readonly secret: Uint8Array | string | undefined
  private hash: Hash | Hmac

  constructor(secret?: Uint8Array | ArrayBuffer | ArrayBufferView | string) {
    this.secret = secret === undefined || typeof secret === 'string' ? secret : toBytes(secret)
    this.hash = this.fresh()
  }

  update(data: Uint8Array | ArrayBuffer | ArrayBufferView | string): void {
    this.hash.update(typeof data === 'string' ? data : toBytes(data))
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest())
  }

  reset(): void {
    this.hash = this.fresh()
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret)
  }
}

function toBytes(data: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
