// Canonical URI for every AWS service except S3: dot segments removed, empty segments collapsed,
// then each segment URI-encoded once more (so "%20" on the wire is signed as "%2520", as the SDKs do).
import { uriEncode } from './uri-encode.js'

/** The canonical URI of a raw request path (the part of the request target before '?'). */
export function canonicalUri(path: string): string {
  const segments: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : ''
  return '/' + segments.map(uriEncode).join('/') + trailing
}
