// Type declarations of sealed-session-miniprogram. The option types mirror each platform's own
// request call; `WxRequestOptions` agrees with `WechatMiniprogram.RequestOption` of
// miniprogram-api-typings both ways (fixtures/types checks it).

/** The platforms, by the name of their global object (`taro` is `Taro`, `h5` is fetch). */
export type PlatformName = 'wx' | 'qq' | 'tt' | 'my' | 'swan' | 'ks' | 'uni' | 'taro' | 'h5'

type AnyObject = Record<string, any>
type HttpMethod = 'OPTIONS' | 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'TRACE' | 'CONNECT'

/** What every request option type has besides the platform's own options. */
export interface SessionRequestOptions {
  /**
   * `true`: log in first when there is no token, and again on a 401. `false`: never log in for
   * this call (a 401 comes back as it is). Unset: log in again on a 401 unless
   * `create({ autoLogin: false })`.
   */
  login?: boolean
}

/** The response of wx.request (and qq, tt, swan, ks, uni, Taro): the fields this package relies on. */
export interface WxResponse<T = any> {
  statusCode: number
  header: AnyObject
  data: T
  errMsg?: string
  cookies?: string[]
}

/** `wx.request`'s options (as `WechatMiniprogram.RequestOption`), plus `login`. */
export interface WxRequestOptions extends SessionRequestOptions {
  url: string
  data?: string | AnyObject | ArrayBuffer
  header?: AnyObject
  method?: HttpMethod
  timeout?: number
  dataType?: string
  responseType?: 'text' | 'arraybuffer'
  enableCache?: boolean
  enableChunked?: boolean
  enableHttp2?: boolean
  enableHttpDNS?: boolean
  enableHttpDNSFallback?: boolean
  enableProfile?: boolean
  enableQuic?: boolean
  forceCellularNetwork?: boolean
  httpDNSServiceId?: string
  httpDNSTimeout?: number
  redirect?: 'follow' | 'manual'
  useHighPerformanceMode?: boolean
  /** Called once, with the final response (after a re-login and retry, if one happened). */
  success?(res: WxResponse): void
  /** Called once, with the final error: a `SessionError` or the platform's own failure. */
  fail?(err: any): void
  /** Called once, after success or fail. */
  complete?(res: any): void
}

/** qq.request, tt.request, swan.request, ks.request, uni.request and Taro.request: wx's shape, and their own extra options. */
export type WxLikeRequestOptions = WxRequestOptions & { [option: string]: unknown }

/** The response of my.request (Alipay): `status` and `headers`. */
export interface MyResponse<T = any> {
  status: number
  headers: AnyObject
  data: T
}

/** `my.request`'s options (Alipay), plus `login`. */
export interface MyRequestOptions extends SessionRequestOptions {
  url: string
  headers?: AnyObject
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'PATCH'
  data?: string | AnyObject | ArrayBuffer
  timeout?: number
  dataType?: 'json' | 'text' | 'base64' | 'arraybuffer' | 'json_or_text'
  enableCookie?: boolean
  success?(res: MyResponse): void
  fail?(err: any): void
  complete?(res: any): void
  [option: string]: unknown
}

/**
 * H5: wx-like options sent with fetch; fetch's own options (credentials, mode, cache, ...) go to
 * fetch untouched. Declared without the DOM library, so that mini program projects (which have
 * none) type-check too.
 */
export interface H5RequestOptions extends SessionRequestOptions {
  url: string
  method?: string
  data?: string | AnyObject | ArrayBuffer
  header?: Record<string, string>
  timeout?: number
  dataType?: 'json' | 'text'
  responseType?: 'text' | 'arraybuffer'
  credentials?: 'omit' | 'same-origin' | 'include'
  mode?: 'cors' | 'no-cors' | 'same-origin' | 'navigate'
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached'
  redirect?: 'follow' | 'error' | 'manual'
  referrer?: string
  referrerPolicy?: string
  integrity?: string
  keepalive?: boolean
  priority?: 'high' | 'low' | 'auto'
  signal?: unknown
  success?(res: WxResponse): void
  fail?(err: any): void
  complete?(res: any): void
  [option: string]: unknown
}

interface Platforms {
  wx: [WxRequestOptions, WxResponse]
  qq: [WxLikeRequestOptions, WxResponse]
  tt: [WxLikeRequestOptions, WxResponse]
  swan: [WxLikeRequestOptions, WxResponse]
  ks: [WxLikeRequestOptions, WxResponse]
  uni: [WxLikeRequestOptions, WxResponse]
  taro: [WxLikeRequestOptions, WxResponse]
  my: [MyRequestOptions, MyResponse]
  h5: [H5RequestOptions, WxResponse]
}

/** A storage for the session entry (H5's `storage` option). */
export interface SessionStorage {
  get(key: string): string | null | undefined
  set(key: string, value: string): void
  remove(key: string): void
}

/** An answer as an adapter hands it to the client. */
export interface AdapterAnswer {
  status: number
  headers: AnyObject
  data: unknown
  /** The platform's own response object, what `request()` resolves with. */
  response: unknown
  /** The platform reported this answer through `fail` (Taro H5 on non-2xx, Alipay HTTP errors). */
  failed: boolean
  error?: unknown
  /** A cross-origin fetch answer (H5): its headers are filtered by CORS. */
  cors?: boolean
}

/** The one shape of every adapter; `adapters.wx(wx)` and friends make them. */
export interface Adapter {
  name: string
  /** The server's login route family ('wechat', 'qq', 'douyin', 'alipay', 'baidu', 'kuaishou') or null. */
  family(): string | null
  /** `'header'` (wx, qq, tt, swan, ks, uni, Taro, H5) or `'headers'` (my). */
  headerKey: 'header' | 'headers'
  storage: SessionStorage | { get(key: string): unknown; set(key: string, value: string): void; remove(key: string): void }
  send(call: AnyObject): Promise<AdapterAnswer>
  login(options: AnyObject): Promise<AnyObject>
}

/** The options of `create`. */
export interface CreateOptions<P extends PlatformName | Adapter = PlatformName | Adapter> {
  /** 'wx', 'qq', 'tt', 'my', 'swan', 'ks', 'uni', 'taro', 'h5', or an adapter object. */
  platform: P
  /** The platform object (wx, qq, tt, my, swan, ks, uni, Taro); default: the global of that name. */
  api?: unknown
  /** Prefixed to relative URLs, e.g. 'https://api.example.com'. Default: ''. */
  baseUrl?: string
  /** The session header, as the server's `with_header_name` (compared without case). Default: 'x-session'. */
  header?: string
  /** The one storage key of the session entry `{ token, epoch }`. Default: 'sealed-session'. */
  storageKey?: string
  /** Where to POST the login. Default: '/login/{wechat|qq|douyin|alipay|baidu|kuaishou}' for the platform, else '/login'. */
  loginPath?: string
  /** Where `logout()` posts without a path. Default: '/logout'. */
  logoutPath?: string
  /** Where `phoneNumber()` posts the phone button's code. Default: '/phone'. */
  phonePath?: string
  /** Where `openData()` posts `encryptedData` and `iv`. Default: '/open-data'. */
  openDataPath?: string
  /** Log in again when a request gets 401. Default: true. */
  autoLogin?: boolean
  /** What to post to the login path, instead of the platform's login; required for 'h5'. */
  login?: () => AnyObject | Promise<AnyObject>
  /** Passed to the platform's login call (e.g. `{ scopes: 'auth_user' }` for my.getAuthCode). */
  loginOptions?: AnyObject
  /** H5: the fetch to use (called as `fetch(url, init)`). Default: the global fetch. */
  fetch?: (input: string, init?: any) => Promise<any>
  /** H5: 'local' (localStorage, default), 'memory', or your own storage. */
  storage?: 'local' | 'memory' | SessionStorage
  /** H5: the window (for localStorage and fetch). Default: globalThis. */
  scope?: unknown
  /**
   * Called when a write was lost to a parallel request (rule 2.5 of the token format): the
   * answer's token was not kept. Default: a `console.warn` (never silent). Never given a token.
   */
  onLostWrite?: (report: LostWrite) => void
}

/**
 * A write lost to a parallel request: its answer's token was not kept (another answer is newer,
 * or no older). Lines are 8 hex digits, generations numbers; no token is ever included.
 */
export interface LostWrite {
  /**
   * `'refused'`: the server answered on another line than the one the request carried (it
   * refused that token and started a new session, or the request carried none), while another
   * answer had replaced the stored token. `'same generation'`: two writes were made from one
   * generation; the first to arrive was kept.
   */
  kind: 'refused' | 'same generation'
  /** The request's URL, as passed to `request()` (or the logout path). */
  url: string
  method: string
  /** The line and generation of the token that was not kept (null if unreadable). */
  line: string | null
  generation: number | null
  /** The line and generation of the token the request carried (null when it carried none). */
  sentLine: string | null
  sentGeneration: number | null
  /** The line and generation of the token stored when the answer arrived (null when none). */
  storedLine: string | null
  storedGeneration: number | null
}

/** A session client: one shape on every platform. */
export interface SessionClient<O = WxRequestOptions, R = WxResponse> {
  /** Logs in (one login at a time for the whole client) and resolves with the server's answer body. */
  login(): Promise<any>
  /** The platform's request with the session; resolves with the platform's response. */
  request(options: O): Promise<R>
  /** POSTs to `path` (default the logout path); any 2xx forgets the token. */
  logout(path?: string, options?: Partial<O>): Promise<R>
  /** POSTs `{ code }` (the getPhoneNumber button's `e.detail.code`, not wx.login's) to the phone path. */
  phoneNumber(code: string, options?: Partial<O>): Promise<R>
  /** POSTs `{ encryptedData, iv }`, as a WeChat API returned them, to the open-data path. */
  openData(encryptedData: string, iv: string, options?: Partial<O>): Promise<R>
  /** The stored token, or null. */
  token(): string | null
  /** Forgets the token on this device. */
  forget(): void
  /** Where this client logs in. */
  readonly loginPath: string
}

/** The client of platform `P`: its request options and response types. */
export type ClientOf<P extends PlatformName> = SessionClient<Platforms[P][0], Platforms[P][1]>

/**
 * The options of `create` from a platform's own entry point (`sealed-session-miniprogram/wx`,
 * ...): those of the main entry, `platform` optional and, if given, that platform.
 */
export type PlatformCreateOptions<P extends PlatformName> = Omit<CreateOptions<P>, 'platform'> & { platform?: P }

export function create<P extends PlatformName>(options: CreateOptions<P>): ClientOf<P>
export function create(options: CreateOptions<Adapter>): SessionClient<AnyObject & { url: string }, unknown>

/** The error codes of `SessionError`. */
export type SessionErrorCode = 'HEADER_MISSING' | 'STILL_UNAUTHORIZED' | 'LOGIN_FAILED' | 'PLATFORM_LOGIN_FAILED' | 'CONFIG'

/** What this package rejects with (platform failures are passed on as the platform gave them). */
export class SessionError extends Error {
  readonly code: SessionErrorCode
  /** The HTTP status of the answer, when one caused the error. */
  readonly status?: number
  readonly statusCode?: number
  /** The answer's body, when one caused the error. */
  readonly data?: unknown
  /** The platform's response, when one caused the error. */
  readonly response?: unknown
}

/** A storage in memory (H5): the session ends with the page. */
export function memoryStorage(): SessionStorage

/** The adapter factories by platform name. */
export const adapters: {
  readonly wx: (api: unknown) => Adapter
  readonly qq: (api: unknown) => Adapter
  readonly tt: (api: unknown) => Adapter
  readonly my: (api: unknown) => Adapter
  readonly swan: (api: unknown) => Adapter
  readonly ks: (api: unknown) => Adapter
  readonly uni: (api: unknown) => Adapter
  readonly taro: (api: unknown) => Adapter
  readonly h5: (options?: { fetch?: CreateOptions['fetch']; storage?: CreateOptions['storage']; scope?: unknown }) => Adapter
}
