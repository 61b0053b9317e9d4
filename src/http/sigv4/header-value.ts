// Reads one header from node:http's header map, where repeated headers may arrive as an array.
import type { IncomingHttpHeaders } from 'node:http'

/**
 * The value of header `name` (lowercase, as node:http keys them), repeated values joined with ",",
 * or undefined when absent.
 */
export function readHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  if (value === undefined) return undefined
  return Array.isArray(value) ? value.join(',') : value
}
