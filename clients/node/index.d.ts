// Type declarations of sealed-session-reader (CommonJS and ES module entry points alike).

/** Refusal reasons, in the order the opening steps check them (the Rust crate's names). */
export type Reason =
  | 'missing'
  | 'too_long'
  | 'malformed'
  | 'unknown_key'
  | 'forged'
  | 'created_in_future'
  | 'expired'
  | 'past_absolute_lifetime'
  | 'bad_data'

/** All refusal reasons a reader gives, in checking order. */
export const REASONS: readonly Reason[]

/** A JSON object: the session data. */
export type SessionData = { [key: string]: unknown }

/** What `open` returns for a token that opened. */
export interface Opened {
  /** Format version: 1 or 2. */
  version: 1 | 2
  /** Key id of the sealing key, 8 hex digits (public). */
  kid: string
  /** The session's line, 8 hex digits (a version 1 token's: its nonce's first 4 bytes). */
  line: string
  /** Write generation (0 for a version 1 token). */
  generation: number
  /** Unix ms when the session was created (values past 2^53 are rounded). */
  createdMs: number
  /** Unix ms from which the token is refused. */
  expiresMs: number
  /** The session's lifetime in ms. */
  maxAgeMs: number
  /** Session id, 32 hex digits. */
  sid: string
  /** The session data. */
  data: SessionData
  /** Position in the key list of the key that opened it (every key opens, whatever its time). */
  keyIndex: number
  /**
   * Whether to re-seal it: the key that opened it is listed after the key that seals at `now`
   * (`keyIndex > keys.sealingIndexAt(now)`; in a list without times, `keyIndex > 0`). A token
   * opened by a newer key whose `seal-after` has not come yet on this clock is not re-sealed.
   */
  reseal: boolean
}

/** Options of `open`. */
export interface OpenOptions {
  /** Comma-separated base64 keys (as `SESSION_KEYS`), an array of them, or a parsed `Keys`. */
  keys: string | string[] | Keys
  /** Context string bound into every token. Default: empty. */
  context?: string
  /** Unix time in ms. Default: `Date.now()`. */
  now?: number | bigint
  /** Size cap in characters, checked before decoding. Default: 4096. */
  maxLen?: number
  /** Absolute lifetime in ms counted from `createdMs`; `null` turns it off. Default: 30 days. */
  absoluteLifetime?: number | bigint | null
  /** How far in the future `createdMs` may be, in ms. Default: 60000. */
  skew?: number | bigint
}

/** The session to seal. Missing fields come from `replaces`, else: random sid, now, one day. */
export interface SessionInput {
  data?: SessionData
  sid?: string
  createdMs?: number | bigint
  maxAgeMs?: number | bigint
  /** Default: `now + maxAgeMs`. */
  expiresMs?: number | bigint
}

/** The line and generation of the token a seal replaces (an `Opened` has them). */
export interface Replaces {
  line: string
  generation: number
  sid?: string
  createdMs?: number
  maxAgeMs?: number
}

/** Options of `seal`. */
export interface SealOptions {
  /** The key list; `seal` uses the key that seals at `now` (`keys.sealingIndexAt(now)`). */
  keys: string | string[] | Keys
  context?: string
  /** Unix time in ms: the session's times, and which key seals. Default: `Date.now()`. */
  now?: number | bigint
  /** The opened token this seal replaces; none for a new session (fresh line, generation 1). */
  replaces?: Replaces | null
  /** Nothing changed (a renewal): keep the generation instead of adding one. Default: false. */
  renewal?: boolean
  /** Size cap in characters. Default: 4096. */
  maxLen?: number
}

/** What a token's clear prefix says, read without a key (nothing of it is authenticated). */
export interface Inspected {
  couldBeToken: boolean
  problem: 'missing' | 'malformed' | null
  length: number
  version: 1 | 2 | null
  kid: string | null
  line: string | null
  generation: number | null
}

/** Options of the middleware: `open`'s, plus where to read and write. */
export interface ReaderOptions extends Omit<OpenOptions, 'now'> {
  /** Request header holding the token. Default: `x-session`. */
  header?: string
  /** The clock, in Unix ms. Default: `Date.now`. */
  now?: () => number | bigint
  /** Property for the session; the reason goes to `${property}Refusal`. Default: `session`. */
  property?: string
}

/**
 * An ordered, non-empty key list with distinct key ids; never prints its keys. Every key opens;
 * the key that seals at a time is the first whose `sealAfterMs` has passed (a key without one
 * always has): in a list without times, the first key.
 */
export class Keys {
  /**
   * A list from 32-byte keys, in order, each with the Unix time in ms from which it seals
   * (`null`: always; `sealAfterMs` left out: no key has a time). Throws `KeyError`.
   */
  constructor(keys: readonly Uint8Array[], sealAfterMs?: readonly (number | null)[])
  static from(input: string | string[] | Keys): Keys
  /** Public key ids, 8 hex digits each, in the list's order. */
  readonly kids: string[]
  /** For each key, the Unix time in ms from which it seals, or `null` (always). */
  readonly sealAfterMs: (number | null)[]
  readonly length: number
  indexOf(kid: string): number
  /**
   * Position of the key that seals at `nowMs`: the first whose time has passed; if none has
   * (a list built in code), the key whose time comes first.
   */
  sealingIndexAt(nowMs: number | bigint): number
  /** Whether some key seals at `nowMs` by its own time. */
  hasSealingKeyAt(nowMs: number | bigint): boolean
}

/** A refused token; `reason` says why. */
export class RefusedError extends Error {
  readonly reason: Reason
}

/** Why a `SESSION_KEYS` list was refused (`parseKeys`). */
export type KeyListErrorCode = 'empty' | 'bad_base64' | 'bad_length' | 'duplicate_kid'

/** Why a key file was refused: the names of docs/key-file.md's table, and `unreadable`. */
export type KeyFileErrorCode =
  | 'unreadable'
  | 'too_large'
  | 'not_utf8'
  | 'no_format_line'
  | 'unsupported_version'
  | 'bad_base64'
  | 'bad_length'
  | 'bad_attribute'
  | 'repeated_attribute'
  | 'bad_time'
  | 'no_key'
  | 'too_many_keys'
  | 'duplicate_kid'
  | 'none_sealing'

/** A key list that could not be parsed (a key file's errors are its subclass `KeyFileError`). */
export class KeyError extends Error {
  readonly code: KeyListErrorCode | KeyFileErrorCode
  /** 1-based position of the faulty key (empty items not counted). */
  readonly position?: number
  readonly got?: number
  readonly kid?: string
}

/** A key file that was refused; the message names the line, never its text nor a key. */
export class KeyFileError extends KeyError {
  readonly code: KeyFileErrorCode
  /** The line it is wrong on, counted from 1; `null` for the whole file. */
  readonly line: number | null
  /** The file, for `readKeyFile`. */
  readonly path?: string
}

/** Options of `parseKeyFile` and `readKeyFile`. */
export interface KeyFileOptions {
  /** The time of loading, Unix ms: a file in which no key seals yet is refused. Default: `Date.now()`. */
  now?: number | bigint
}

/** Sealing failed. */
export class SealError extends Error {
  readonly code: 'too_large' | 'bad_data'
}

/** Resolves once libsodium is loaded; await it before the first `open` or `seal`. */
export function ready(): Promise<void>
/** Opens a token as the Rust crate does; throws `RefusedError`. */
export function open(token: string | null | undefined, options: OpenOptions): Opened
/** Seals a session as a version 2 token; throws `SealError`. */
export function seal(session: SessionInput, options: SealOptions): string
/** Reads a token's clear prefix without a key. */
export function inspect(token: string): Inspected
/** Parses a key list as the crate's `Keys::parse`; throws `KeyError`. */
export function parseKeys(input: string | string[] | Keys): Keys
/** Reads a key file's text or bytes (docs/key-file.md) as loaded at `now`; throws `KeyFileError`. */
export function parseKeyFile(text: string | Uint8Array, options?: KeyFileOptions): Keys
/** Reads the key file at `path` (at most 65,536 bytes), as `parseKeyFile`; throws `KeyFileError`. */
export function readKeyFile(path: string, options?: KeyFileOptions): Keys
/** A new random key, URL-safe base64 without padding. */
export function generateKey(): string
/** The key id of 32 key bytes, 8 hex digits. */
export function kidOf(key: Uint8Array): string
/** Connect/Express middleware: `req.session` and `req.sessionRefusal`. */
export function sessionReader(options: ReaderOptions): (req: any, res: any, next: (err?: unknown) => void) => void
/** Koa middleware: `ctx.state.session` and `ctx.state.sessionRefusal`. */
export function koaSessionReader(options: ReaderOptions): (ctx: any, next: () => Promise<unknown>) => Promise<void>

export const DEFAULT_MAX_LEN: number
export const DEFAULT_ABSOLUTE_LIFETIME_MS: number
export const DEFAULT_SKEW_MS: number
export const DEFAULT_MAX_AGE_MS: number

declare const reader: {
  ready: typeof ready
  open: typeof open
  seal: typeof seal
  inspect: typeof inspect
  parseKeys: typeof parseKeys
  parseKeyFile: typeof parseKeyFile
  readKeyFile: typeof readKeyFile
  generateKey: typeof generateKey
  kidOf: typeof kidOf
  sessionReader: typeof sessionReader
  koaSessionReader: typeof koaSessionReader
  Keys: typeof Keys
  RefusedError: typeof RefusedError
  KeyError: typeof KeyError
  KeyFileError: typeof KeyFileError
  SealError: typeof SealError
  REASONS: typeof REASONS
}
export default reader
