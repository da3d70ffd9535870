// Type declarations of sealed-session-miniprogram/swan (Baidu smart programs alone); every type
// is in ../index.d.ts, the main entry's.
import type { ClientOf, PlatformCreateOptions } from '../index.js'

export { SessionError } from '../index.js'
export type { ClientOf, LostWrite, PlatformCreateOptions, SessionClient, SessionErrorCode, WxLikeRequestOptions, WxResponse } from '../index.js'

/** A session client on swan: the options of the main entry's `create`, `platform` optional. */
export function create(options: PlatformCreateOptions<'swan'>): ClientOf<'swan'>
