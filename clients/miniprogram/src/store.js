// The client's copy of the session: ONE storage entry holding `{ token, epoch }`, and the ONE
// place that applies what an answer does to it (`acceptAnswer`, deciding with rule.js: the
// client rule of the token format, "What a client does with them"; issue #11).
//
// Every step reads the entry from storage again (never a copy kept here), so two clients on one
// storage (two H5 tabs on one localStorage, or two `create()` on one mini program) stay correct.

import { decide as formatRule } from './rule.js'

const EMPTY = Object.freeze({ token: null, epoch: 0 })

/** The entry as stored: a JSON string (localStorage keeps only strings); an older plain token reads as one. */
function decode(raw) {
  if (raw === undefined || raw === null || raw === '') return EMPTY
  let value = raw
  if (typeof raw === 'string') {
    if (raw[0] !== '{') return { token: raw, epoch: 0 } // a token stored by examples/miniprogram/session.js
    try {
      value = JSON.parse(raw)
    } catch {
      return EMPTY
    }
  }
  if (!value || typeof value !== 'object') return EMPTY
  const token = typeof value.token === 'string' && value.token !== '' ? value.token : null
  const epoch = Number.isSafeInteger(value.epoch) && value.epoch >= 0 ? value.epoch : 0
  return { token, epoch }
}

/**
 * The session entry in `storage` (`{ get(key), set(key, string), remove(key) }`) under `key`.
 * `decide` is the rule (rule.js; the tests pass simpler rules to show that they fail).
 */
export function createStore(storage, key, decide = formatRule) {
  function read() {
    return decode(storage.get(key))
  }

  function write(entry) {
    storage.set(key, JSON.stringify({ token: entry.token, epoch: entry.epoch }))
  }

  /** What a request carries and remembers when it is sent: T (the stored token, or null) and the epoch, now. */
  function snapshot() {
    return read()
  }

  /** A new epoch, the token kept: what `login()` (the call that starts a login) and `logout()` do when called. */
  function advance() {
    const current = read()
    write({ token: current.token, epoch: current.epoch + 1 })
  }

  /** Deletes the token and starts a new epoch (`forget()`). */
  function forget() {
    const { epoch } = read()
    write({ token: null, epoch: epoch + 1 })
  }

  /**
   * What one answer does to the stored session, in one step: read the entry, decide (rule.js),
   * write, with nothing in between (no await: storage calls are synchronous).
   *
   * `answer` is `{ kind, sent, value, ok }` (see rule.js `decide`). Returns the decision:
   * `{ step, outcome, entry, lost }`, `outcome` being 'stored', 'deleted' or 'unchanged', and
   * `lost` the lost write to report (rule 2.5), or null.
   */
  function acceptAnswer(answer) {
    const decision = decide(answer, read())
    if (decision.entry !== null) write(decision.entry)
    return decision
  }

  return { read, snapshot, advance, forget, acceptAnswer }
}
