// Compiled with usage.ts (test/package.test.js runs tsc on tsconfig.json): key files, the
// times of a key list, and the errors of both kinds of list.
import reader, { parseKeyFile, readKeyFile, seal, open, Keys, KeyError, KeyFileError } from 'sealed-session-reader'
import type { KeyFileErrorCode, KeyFileOptions, KeyListErrorCode, Opened } from 'sealed-session-reader'

export function load(text: string, bytes: Uint8Array, path: string): string {
  const options: KeyFileOptions = { now: Date.now() }
  const keys: Keys = parseKeyFile(text, options)
  const same: Keys = reader.parseKeyFile(bytes, { now: 1796464800000n })
  const fromDisk: Keys = readKeyFile(path)
  const times: (number | null)[] = keys.sealAfterMs
  const index: number = keys.sealingIndexAt(Date.now())
  const sealing: boolean = same.hasSealingKeyAt(0n)
  const token = seal({ data: {} }, { keys, now: 1796464800000 })
  const opened: Opened = open(token, { keys: fromDisk })
  const reseal: boolean = opened.reseal
  const built = new Keys([new Uint8Array(32), new Uint8Array(32).fill(1)], [1796464800000, null])
  return `${times.length}${index}${sealing}${reseal}${built.kids[0]}${new Keys([new Uint8Array(32)]).length}`
}

export function why(e: unknown): string | null {
  if (e instanceof KeyFileError) {
    const code: KeyFileErrorCode = e.code
    const line: number | null = e.line
    return `${code}@${line ?? 'file'}${e.path ?? ''}`
  }
  if (e instanceof KeyError) {
    const code: KeyListErrorCode | KeyFileErrorCode = e.code
    return code
  }
  return e instanceof reader.KeyFileError ? 'never' : null
}

// @ts-expect-error a key file is text or bytes
parseKeyFile(42)
// @ts-expect-error `now` is Unix ms, not a date
parseKeyFile('', { now: new Date() })
// @ts-expect-error seal-after times are numbers (or null)
export const wrongTimes = new Keys([new Uint8Array(32)], ['2026-12-05T10:00:00Z'])
// @ts-expect-error the line of a KeyFileError is a number or null
export const wrongLine: string = new KeyFileError('x').line
// @ts-expect-error the table's names use underscores
export const wrongCode: KeyFileErrorCode = 'bad-time'
