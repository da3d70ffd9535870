// Type declarations of sealed-session-miniprogram/ks (Kuaishou mini programs alone); every type
// is in ../index.d.ts, the main entry's.
import type { ClientOf, PlatformCreateOptions } from '../index.cjs'

export { SessionError } from '../index.cjs'
export type { ClientOf, LostWrite, PlatformCreateOptions, SessionClient, SessionErrorCode, WxLikeRequestOptions, WxResponse } from '../index.cjs'

/** A session client on ks: the options of the main entry's `create`, `platform` optional. */
export function create(options: PlatformCreateOptions<'ks'>): ClientOf<'ks'>
