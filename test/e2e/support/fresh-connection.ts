// A signed KMS call on a connection of its own (no keep-alive pool), so that a cluster's round-robin
// scheduler decides afresh which worker serves it. Returns the status, the JSON body and the answering
// worker (the x-trent-worker header).
import { SignatureV4 } from '@smithy/signature-v4'
import { request } from 'node:http'
import { NodeSha256 } from '../../support/node-sha256.js'
import type { Credentials } from './clients.js'
import { E2E_CREDENTIALS, E2E_REGION } from './server.js'

export interface FreshReply {
  status: number
  worker: string | undefined
  requestId: string | undefined
  json: Record<string, unknown>
}

export async function callOnFreshConnection(url: string, operation: string, input: unknown, credentials: Credentials = E2E_CREDENTIALS): Promise<FreshReply> {
  const { hostname, port } = new URL(url)
  const body = new TextEncoder().encode(JSON.stringify(input))
  const signer = new SignatureV4({ service: 'kms', region: E2E_REGION, sha256: NodeSha256, credentials })
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', query: {}, body,
    headers: { host: `${hostname}:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
  })
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), method: 'POST', path: '/', agent: false, headers: { ...signed.headers, connection: 'close' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({
          status: res.statusCode ?? 0, worker: res.headers['x-trent-worker'] as string | undefined,
          requestId: res.headers['x-amzn-requestid'] as string | undefined, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
        })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** GET a monitoring path on its own connection. */
export function getOnFreshConnection(url: string, path: string): Promise<{ status: number; worker: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, worker: res.headers['x-trent-worker'] as string | undefined }))
    })
    req.on('error', reject)
    req.end()
  })
}
