// The signed-in credentials, kept in this tab's sessionStorage only: they leave with the tab, are never
// sent anywhere (requests carry a signature made from them) and are never written to localStorage or a cookie.
export interface Session {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  region: string
}

const STORAGE_KEY = 'trent-console-session'

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(STORAGE_KEY)
  if (!raw) return undefined
  try {
    const value = JSON.parse(raw) as Partial<Session>
    if (typeof value.accessKeyId !== 'string' || typeof value.secretAccessKey !== 'string' || typeof value.region !== 'string') return undefined
    return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey, region: value.region, ...(value.sessionToken ? { sessionToken: value.sessionToken } : {}) }
  } catch {
    return undefined
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session))
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY)
}
