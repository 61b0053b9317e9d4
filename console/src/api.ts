// The console's only way to the server: KMS and CloudTrail JSON 1.1 requests to this same origin, each one
// SigV4-signed in the browser with the signed-in credentials. There is no other endpoint and no back door.
import { loadSession, type Session } from './session.js'
import { signRequest } from './sigv4.js'

const CONTENT_TYPE = 'application/x-amz-json-1.1'

/** An exception the API answered with: its AWS name (`__type`) and message, shown to the user as they are. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly type: string
  readonly status: number
  readonly apiMessage: string | undefined

  constructor(type: string, apiMessage: string | undefined, status: number) {
    super(apiMessage ? `${type}: ${apiMessage}` : type)
    this.type = type
    this.status = status
    this.apiMessage = apiMessage
  }
}

function requireSession(): Session {
  const session = loadSession()
  if (!session) throw new ApiError('NotSignedIn', 'Sign in first.', 0)
  return session
}

async function call<T>(service: 'kms' | 'cloudtrail', target: string, input: unknown, session: Session): Promise<T> {
  const body = JSON.stringify(input ?? {})
  const headers = await signRequest({
    credentials: session, region: session.region, service, host: location.host, target, contentType: CONTENT_TYPE, body, date: new Date(),
  })
  const response = await fetch('/', { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store' })
  const text = await response.text()
  let parsed: Record<string, unknown> = {}
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
  } catch {
    throw new ApiError('UnreadableReply', `HTTP ${response.status}: the server's reply was not JSON`, response.status)
  }
  if (!response.ok) {
    const type = String(parsed.__type ?? `HTTP${response.status}`).split('#').pop()!
    const message = parsed.message ?? parsed.Message
    throw new ApiError(type, typeof message === 'string' ? message : undefined, response.status)
  }
  return parsed as T
}

/** Calls KMS operation `operation` (TrentService.<operation>) with `input`; throws ApiError with the API's exception. */
export function kms<T = Record<string, unknown>>(operation: string, input: unknown = {}, session: Session = requireSession()): Promise<T> {
  return call<T>('kms', `TrentService.${operation}`, input, session)
}

/** Calls CloudTrail operation `operation` (signed for the `cloudtrail` service). */
export function cloudTrail<T = Record<string, unknown>>(operation: string, input: unknown = {}, session: Session = requireSession()): Promise<T> {
  return call<T>('cloudtrail', `CloudTrail_20131101.${operation}`, input, session)
}

/** Every page of a Marker/NextMarker list operation, concatenated (`member` names the list in each reply). */
export async function listAll<T>(operation: string, input: Record<string, unknown>, member: string): Promise<T[]> {
  const items: T[] = []
  let marker: string | undefined
  do {
    const page = await kms<Record<string, unknown>>(operation, { ...input, ...(marker ? { Marker: marker } : {}) })
    items.push(...((page[member] as T[] | undefined) ?? []))
    marker = page.Truncated ? (page.NextMarker as string) : undefined
  } while (marker)
  return items
}
