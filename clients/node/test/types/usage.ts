// Compiled by test/types.test.js with `tsc --noEmit --strict`: the declarations describe the
// package as it is used from TypeScript (ES module import), and mistakes do not compile.
import reader, { open, seal, ready, inspect, parseKeys, RefusedError, KeyError, SealError, sessionReader, koaSessionReader, REASONS } from 'sealed-session-reader'
import type { Opened, Reason, SealOptions } from 'sealed-session-reader'

export async function use(header: string | undefined): Promise<string | null> {
  await ready()
  const keys = parseKeys(process.env.SESSION_KEYS ?? '')
  const kids: string[] = keys.kids
  try {
    const session: Opened = open(header, { keys, context: 'app', now: Date.now(), absoluteLifetime: null })
    const views = session.data['views']
    const options: SealOptions = { keys, replaces: session, renewal: false }
    const token: string = seal({ data: { views, n: session.generation } }, options)
    return `${token}${kids.length}${inspect(token).line ?? ''}${reader.REASONS.length}`
  } catch (e) {
    if (e instanceof RefusedError) {
      const reason: Reason = e.reason
      return REASONS.includes(reason) ? reason : null
    }
    if (e instanceof KeyError) return e.code
    if (e instanceof SealError) return e.code
    throw e
  }
}

export const middlewares = [sessionReader({ keys: 'k', header: 'x-session', now: () => 0 }), koaSessionReader({ keys: ['k'] })]

// @ts-expect-error keys are required
open('t', {})
// @ts-expect-error a reason is one of the crate's names
export const wrong: Reason = 'stale'
