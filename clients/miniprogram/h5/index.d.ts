// Type declarations of sealed-session-miniprogram/h5 (H5 pages alone); every type is in
// ../index.d.ts, the main entry's.
import type { ClientOf, PlatformCreateOptions, SessionStorage } from '../index.js'

export { SessionError } from '../index.js'
export type { ClientOf, LostWrite, PlatformCreateOptions, SessionClient, SessionErrorCode, H5RequestOptions, WxResponse, SessionStorage } from '../index.js'

/** A session client on h5: the options of the main entry's `create`, `platform` optional. */
export function create(options: PlatformCreateOptions<'h5'>): ClientOf<'h5'>

/** A storage in memory: the session ends with the page. */
export function memoryStorage(): SessionStorage
